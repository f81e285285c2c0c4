# run_compilers.cmake - build the C++ tests of this folder with one given
# C++ compiler (and a C compiler for the C parts), strictly, and run them.
#
#   cmake -DCXX=clang++ -DCC=clang -DCORE=<core folder> -DWORK=<scratch folder>
#         [-DMESSAGES=n] -P run_compilers.cmake
#
# For each C++ standard (c++11, c++20): test_cxx.cpp for three variants (the
# default included in extern "C" { }), the README's example as C++, and the
# mixing test (producer compiled by CC, consumer by CXX); every compile with
# -Wall -Wextra -Wpedantic -Werror.
foreach(v CXX CC CORE WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_compilers.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT DEFINED MESSAGES)
  set(MESSAGES 1000)
endif()
set(inc ${CORE}/include)
set(tests ${CORE}/tests/cxx)
set(warn -Wall -Wextra -Wpedantic -Werror -O2)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}${err}")
  endif()
  if(out)
    message("${out}")
  endif()
endfunction()

# name|-D flags (comma-separated) of the variants test_cxx.cpp is built for.
set(variants
    "default|TEST_CXX_EXTERN_C=1"
    "uncached-pad0-seqcst|BIPBUF_CACHED=0,BIPBUF_PAD=0,BIPBUF_ORDER=BIPBUF_ORDER_SEQCST"
    "cached-pad64-acqrel|BIPBUF_CACHED=1,BIPBUF_PAD=64,BIPBUF_ORDER=BIPBUF_ORDER_ACQREL")

get_filename_component(cxx_name ${CXX} NAME)
foreach(std c++11 c++20)
  foreach(entry IN LISTS variants)
    string(REPLACE "|" ";" entry "${entry}")
    list(GET entry 0 name)
    list(GET entry 1 defs)
    string(REPLACE "," ";" defs "${defs}")
    list(TRANSFORM defs PREPEND -D)
    set(core_defs ${defs})
    list(FILTER core_defs EXCLUDE REGEX "TEST_CXX")
    set(exe ${WORK}/test_cxx-${name}-${std})
    run("${CC} bipbuf.c (${name})" ${CC} -std=c11 ${warn} ${core_defs} -I${inc} -c
        ${CORE}/src/bipbuf.c -o ${exe}-core.o)
    run("${cxx_name} -std=${std} test_cxx.cpp (${name})" ${CXX} -std=${std} ${warn} ${defs}
        -I${inc} ${tests}/test_cxx.cpp ${exe}-core.o -pthread -o ${exe})
    run("test_cxx ${name} built by ${cxx_name} -std=${std}" ${exe} ${MESSAGES})
  endforeach()

  set(core ${WORK}/test_cxx-default-${std}-core.o)
  run("${cxx_name} -std=${std} readme_example.cpp" ${CXX} -std=${std} ${warn} -I${inc}
      ${tests}/readme_example.cpp ${core} -pthread -o ${WORK}/readme-${std})
  run("the README example built by ${cxx_name} -std=${std}" ${WORK}/readme-${std})

  run("${CC} mixed_c.c" ${CC} -std=c11 ${warn} -I${inc} -c ${tests}/mixed_c.c
      -o ${WORK}/mixed_c-${std}.o)
  run("${cxx_name} -std=${std} mixed_cxx.cpp" ${CXX} -std=${std} ${warn} -I${inc}
      ${tests}/mixed_cxx.cpp ${WORK}/mixed_c-${std}.o ${core} -pthread -o ${WORK}/mixed-${std})
  run("the mixing test built by ${CC} and ${cxx_name} -std=${std}" ${WORK}/mixed-${std}
      ${MESSAGES})
endforeach()
message("${cxx_name}: test_cxx (3 variants), the README example and the mixing test, "
        "C++11 and C++20: passed")
