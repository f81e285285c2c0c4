# micro.cmake - bipbench_micro, the Google Benchmark micro-benchmarks of
# every variant (see micro.c for what they measure), and their tests.
# Included from harness/CMakeLists.txt. Needs Google Benchmark and hwloc; if
# either is missing the rest of the project still builds, without this.

find_package(benchmark QUIET)
find_package(Threads)

if(NOT benchmark_FOUND)
  message(WARNING "bipbench_micro will not be built: Google Benchmark not found "
                  "(Debian/Ubuntu: apt-get install libbenchmark-dev, or run scripts/setup)")
elseif(NOT TARGET bench_topo)
  # bipbench's pair selection (topo.h), built where hwloc is found.
  message(WARNING "bipbench_micro will not be built: it needs bench_topo, which needs hwloc "
                  "(Debian/Ubuntu: apt-get install libhwloc-dev pkg-config)")
else()
  # The benchmarks, compiled once per variant so each loop inlines its
  # variant's core; each object exports micro_register_<variant id>().
  bipbuf_variant_objects(bipbench_micro_v VARIANTS ${BIPBUF_VARIANTS}
                         SOURCES ${CMAKE_CURRENT_LIST_DIR}/micro_variant.c
                         INCLUDES ${CMAKE_CURRENT_LIST_DIR})
  set(_micro_objs "")
  foreach(t IN LISTS bipbench_micro_v_OBJECT_TARGETS)
    list(APPEND _micro_objs $<TARGET_OBJECTS:${t}>)
  endforeach()

  # The C interface to Google Benchmark: the only C++ here.
  add_library(gbench_shim STATIC ${CMAKE_CURRENT_LIST_DIR}/gbench_shim.cc)
  target_include_directories(gbench_shim PUBLIC ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(gbench_shim PUBLIC benchmark::benchmark)

  add_executable(bipbench_micro ${CMAKE_CURRENT_LIST_DIR}/micro.c ${_micro_objs})
  # bipbuf_variants: each variant's non-inline functions (init, create,
  # the waiting part of reserve) under its own prefix.
  # bench_topo: the placements bipbench uses, and hwloc with them.
  target_link_libraries(bipbench_micro PRIVATE bipbuf_variants gbench_shim bench_topo
                        Threads::Threads)
  set_target_properties(bipbench_micro PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/harness)

  find_program(BIPBUF_MICRO_PYTHON3 NAMES python3)
  if(BUILD_TESTING AND BIPBUF_BUILD_TESTS AND NOT BIPBUF_MICRO_PYTHON3)
    message(STATUS "bipbench_micro tests not added: they check the JSON with python3")
  elseif(BUILD_TESTING AND BIPBUF_BUILD_TESTS)
    # The program is a normal Google Benchmark main: its JSON parses, and the
    # shortest run of every variant is in it, without errors.
    add_test(NAME bipbench_micro_json
      COMMAND sh -c [=[
out=bipbench_micro_json.json
py=$1; prog=$2; shift 2
"$prog" --benchmark_filter='^single/.*/8$' --benchmark_min_time=0.001 \
        --benchmark_format=json > "$out" || { echo "bipbench_micro failed"; exit 1; }
"$py" -m json.tool "$out" > /dev/null || { echo "bipbench_micro: not JSON"; exit 1; }
for v in "$@"; do
  grep -q "\"name\": \"single/$v/8\"" "$out" || { echo "no run for variant $v"; exit 1; }
done
if grep -q '"error_occurred": true' "$out"; then echo "a run failed:"; grep error_message "$out"; exit 1; fi
echo "bipbench_micro: JSON ok, $# variants"
]=] sh ${BIPBUF_MICRO_PYTHON3} $<TARGET_FILE:bipbench_micro> ${BIPBUF_VARIANTS}
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(bipbench_micro_json PROPERTIES LABELS unit TIMEOUT 60)

    # The two-thread benchmarks run and stop cleanly (their own watchdog
    # fails a wait over 10 s). Skipped where there is no second core:
    # the runs then end with an error message instead of times.
    add_test(NAME bipbench_micro_pair
      COMMAND sh -c [=[
out=bipbench_micro_pair.json
py=$1; prog=$2
"$prog" --benchmark_filter='^(pair|roundtrip)/cached-pad64-acqrel/64/' \
        --benchmark_min_time=0.001 --benchmark_format=json > "$out" || {
  echo "bipbench_micro failed"; exit 1; }
"$py" -m json.tool "$out" > /dev/null || { echo "bipbench_micro: not JSON"; exit 1; }
n=$(grep -c '"name": "\(pair\|roundtrip\)/cached-pad64-acqrel/64/manual_time"' "$out")
[ "$n" -eq 2 ] || { echo "expected 2 runs, found $n"; exit 1; }
if grep -q '"error_occurred": true' "$out"; then grep error_message "$out"; exit 77; fi
echo "bipbench_micro: pair and roundtrip ran"
]=] sh ${BIPBUF_MICRO_PYTHON3} $<TARGET_FILE:bipbench_micro>
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(bipbench_micro_pair PROPERTIES
      LABELS unit TIMEOUT 60 SKIP_RETURN_CODE 77)

    # Every function of the shim, with the values it must produce.
    add_executable(micro_shim_test ${CMAKE_CURRENT_LIST_DIR}/micro_shim_test.c)
    target_link_libraries(micro_shim_test PRIVATE gbench_shim)
    add_test(NAME gbench_shim
      COMMAND sh -c [=[
py=$1; prog=$2
"$prog" --benchmark_format=json --benchmark_min_time=0.001 > gbench_shim.json || exit 1
exec "$py" -c '
import json, sys
d = json.load(open("gbench_shim.json"))
runs = {b["name"]: b for b in d["benchmarks"]}
want = ["shim/args/a:3/b:5/iterations:10", "shim/ranges/1/8", "shim/ranges/2/8",
        "shim/ranges/4/8", "shim/range/8", "shim/range/64",
        "shim/dense/n:1/min_time:0.001/repeats:2/real_time",
        "shim/dense/n:3/min_time:0.001/repeats:2/real_time",
        "shim/dense/n:9/min_time:0.001/repeats:2/real_time_median",
        "shim/manual/iterations:4/manual_time", "shim/batch/iterations:10", "shim/skip"]
bad = [n for n in want if n not in runs]
a = runs.get("shim/args/a:3/b:5/iterations:10", {})
m = runs.get("shim/manual/iterations:4/manual_time", {})
checks = [
    d["context"].get("shim_context") == "yes",
    a.get("time_unit") == "us", a.get("label") == "shim-label",
    a.get("plain") == 7, a.get("per_iter") == 5, a.get("inv") == 0.25,
    a.get("rate", 0) > 0, a.get("items_per_second", 0) > 0, a.get("bytes_per_second", 0) > 0,
    m.get("time_unit") == "ms", abs(m.get("real_time", 0) - 250) < 1e-6,
    runs.get("shim/batch/iterations:10", {}).get("iterations") == 14,
    runs.get("shim/skip", {}).get("error_message") == "skipped on purpose",
]
if bad or not all(checks):
    print("missing runs:", bad, "checks:", checks)
    sys.exit(1)
print("gbench_shim: %d runs as expected" % len(runs))
'
]=] sh ${BIPBUF_MICRO_PYTHON3} $<TARGET_FILE:micro_shim_test>
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(gbench_shim PROPERTIES LABELS unit TIMEOUT 60)
  endif()
endif()
