# run_spin.cmake - generate, compile and run Spin verifiers for CTest.
#
#   cmake -DSPIN=spin -DCC=cc -DMODEL=bipbuf.pml -DWORK=dir -DMODE=safety|liveness
#         -DCONFIGS=CAP:NMSG,... -DDEFS=CACHED=1,... [-DEXPECT=error [-DEXPECT_MATCH=text]]
#         -P run_spin.cmake
#
# safety:   assertions and invalid end states (pan compiled -DSAFETY -DNOCLAIM).
# liveness: the model's ltl property, acceptance cycles under weak fairness
#           (pan -a -f); without fairness Spin reports the spin loops of a
#           side that is never scheduled as false cycles.
# EXPECT=error inverts the verdict: every configuration must find an error
# (a mutation the model must catch); its trail is printed. EXPECT_MATCH
# narrows it: pan's report must name that kind of error ("acceptance cycle":
# a run in which the property never comes true, such as a deadlock of two
# sides that poll), so that a control caught for another reason fails.
if(NOT MODE MATCHES "^(safety|liveness)$")
  message(FATAL_ERROR "MODE must be safety or liveness")
endif()
file(MAKE_DIRECTORY ${WORK})
# Lists come comma-separated: a ; would split the test's command line.
string(REPLACE "," ";" CONFIGS "${CONFIGS}")
string(REPLACE "," ";" DEFS "${DEFS}")
set(dflags "")
foreach(d IN LISTS DEFS)
  list(APPEND dflags -D${d})
endforeach()
if(MODE STREQUAL "safety")
  set(ccflags -DSAFETY -DNOCLAIM)
  set(panflags -m1000000)
else()
  set(ccflags "")
  set(panflags -m1000000 -a -f)
endif()

set(failed 0)
foreach(cfg IN LISTS CONFIGS)
  string(REPLACE ":" ";" cfg "${cfg}")
  list(GET cfg 0 cap)
  list(GET cfg 1 nmsg)
  string(REPLACE ";" " " defs_text "${DEFS}")
  set(what "${MODE} CAP=${cap} NMSG=${nmsg} ${defs_text}")
  file(REMOVE_RECURSE ${WORK}/${cap}_${nmsg})
  file(MAKE_DIRECTORY ${WORK}/${cap}_${nmsg})
  set(dir ${WORK}/${cap}_${nmsg})
  configure_file(${MODEL} ${dir}/model.pml COPYONLY)
  execute_process(COMMAND ${SPIN} -DCAP=${cap} -DNMSG=${nmsg} ${dflags} -a model.pml
                  WORKING_DIRECTORY ${dir} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "spin -a failed (${what}):\n${out}")
  endif()
  execute_process(COMMAND ${CC} -O1 -w ${ccflags} -o pan pan.c
                  WORKING_DIRECTORY ${dir} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "compiling pan failed (${what}):\n${out}")
  endif()
  execute_process(COMMAND ./pan ${panflags}
                  WORKING_DIRECTORY ${dir} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT out MATCHES "errors: ([0-9]+)")
    message(FATAL_ERROR "no verdict from pan (${what}):\n${out}")
  endif()
  set(errors ${CMAKE_MATCH_1})
  set(states "?")
  if(out MATCHES "([0-9.e+]+) states, stored")
    set(states ${CMAKE_MATCH_1})
  endif()
  set(depth_limited 0)
  if(out MATCHES "max search depth too small")
    set(depth_limited 1)
  endif()
  message("spin: ${what}: ${states} states stored, ${errors} errors")
  if(EXPECT STREQUAL "error")
    if(errors EQUAL 0)
      message("  expected an error, found none:\n${out}")
      set(failed 1)
    elseif(EXPECT_MATCH AND NOT out MATCHES "pan:1: ${EXPECT_MATCH}")
      message("  expected an error of the kind '${EXPECT_MATCH}', found another:\n${out}")
      set(failed 1)
    else()
      # Show where it fails: the first lines of the counterexample.
      execute_process(COMMAND ${SPIN} -DCAP=${cap} -DNMSG=${nmsg} ${dflags} -t model.pml
                      WORKING_DIRECTORY ${dir} OUTPUT_VARIABLE trail ERROR_VARIABLE trail)
      string(REGEX MATCH "[^\n]*(assertion violated|acceptance cycle|ACCEPT|CYCLE)[^\n]*" first
             "${out}\n${trail}")
      message("  caught as expected: ${first}")
    endif()
  elseif(NOT errors EQUAL 0 OR depth_limited)
    execute_process(COMMAND ${SPIN} -DCAP=${cap} -DNMSG=${nmsg} ${dflags} -t -p model.pml
                    WORKING_DIRECTORY ${dir} OUTPUT_VARIABLE trail ERROR_VARIABLE trail)
    message("${out}\n--- counterexample ---\n${trail}")
    set(failed 1)
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "spin: ${MODE} check failed")
endif()
