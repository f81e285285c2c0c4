# git_commit.cmake - run at every build (cmake -P): writes OUT with the commit
# the sources are at, "-dirty" when tracked files differ from it, so that
# bipbench's JSON names the commit its binary was built from. OUT is only
# rewritten when that changes, so an unchanged tree rebuilds nothing.
set(commit "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse HEAD WORKING_DIRECTORY ${SRC}
                  OUTPUT_VARIABLE head OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND head)
    set(commit "${head}")
    execute_process(COMMAND ${GIT_EXECUTABLE} status --porcelain --untracked-files=no
                    WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE changes ERROR_QUIET)
    if(changes)
      string(APPEND commit "-dirty")
    endif()
  endif()
endif()
file(CONFIGURE OUTPUT ${OUT} CONTENT
"/* Generated at build time by harness/driver/git_commit.cmake. */
#define BIPBENCH_GIT_COMMIT \"${commit}\"
" @ONLY)
