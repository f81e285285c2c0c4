# run_fuzz.cmake - one bounded libFuzzer run for CTest.
#   cmake -DFUZZER=exe -DSEEDS=dir -DWORK=dir -DSECONDS=n -P run_fuzz.cmake
# BIPBUF_FUZZ_SECONDS in the environment overrides SECONDS. New inputs go to
# WORK (in the build tree), never into the committed seed corpus; a crashing
# input is saved in WORK as crash-* and its path printed.
if(DEFINED ENV{BIPBUF_FUZZ_SECONDS})
  set(SECONDS $ENV{BIPBUF_FUZZ_SECONDS})
endif()
file(MAKE_DIRECTORY ${WORK}/corpus)
execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -max_len=2048
          -print_final_stats=1 -artifact_prefix=${WORK}/ ${WORK}/corpus ${SEEDS}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message("${out}")
  message(FATAL_ERROR "fuzz: ${FUZZER} failed (exit ${rc}); the input is under ${WORK}")
endif()
if(NOT out MATCHES "Done ([0-9]+) runs in ([0-9]+) second")
  message("${out}")
  message(FATAL_ERROR "fuzz: no 'Done' line from ${FUZZER}")
endif()
set(runs ${CMAKE_MATCH_1})
set(secs ${CMAKE_MATCH_2})
set(units "?")
if(out MATCHES "stat::new_units_added: *([0-9]+)")
  set(units ${CMAKE_MATCH_1})
endif()
get_filename_component(name ${FUZZER} NAME)
message("fuzz: ${name}: ${runs} executions in ${secs} s, ${units} new inputs, every check passed")
