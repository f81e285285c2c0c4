# install_programs.cmake - the unit/install-programs test (registered by the
# top-level CMakeLists.txt, which alone knows which programs the harness
# built): install the build tree BUILD into PREFIX and check that each of
# PROGRAMS (a ;-list, maybe empty) is in PREFIX/BINDIR.
#
#   cmake -DBUILD=<build> -DPREFIX=<dir> -DPROGRAMS=<list> -DBINDIR=bin -P install_programs.cmake
foreach(v BUILD PREFIX BINDIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install_programs.cmake: -D${v}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD}" --prefix "${PREFIX}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install-programs: cmake --install failed (${rc})\n${out}${err}")
endif()
set(missing "")
foreach(p IN LISTS PROGRAMS)
  if(EXISTS "${PREFIX}/${BINDIR}/${p}" AND NOT IS_DIRECTORY "${PREFIX}/${BINDIR}/${p}")
    message("installed: ${BINDIR}/${p}")
  else()
    list(APPEND missing "${BINDIR}/${p}")
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "install-programs: not installed: ${missing}")
endif()
if(NOT PROGRAMS)
  message("install-programs: the harness built no programs; nothing to check")
endif()
