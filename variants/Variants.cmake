# Variants.cmake - the one list of variants, and the helpers that compile a
# source once per variant. Included by the top-level CMakeLists.txt.
#
# A variant is named cache-pad-order (e.g. cached-pad64-acqrel), with a
# token -batchK only where the consumer batches its stores of the read index
# (publish: K bytes; e.g. cached-pad128-acqrel-batch1024), and last a token
# -fence, -asym or -eventfd only where its waits sleep (wake; none: spin;
# e.g. cached-pad128-acqrel-asym, crate-design-fence). Its C
# identifier replaces '-' with '_'. The generated header
# ${BIPBUF_GENERATED_DIR}/bipbuf_variants.h gives C code the same list as an
# X-macro, so nothing names the variants twice.

set(BIPBUF_CACHES cached uncached)
set(BIPBUF_PADS pad0 pad64 pad128)
set(BIPBUF_ORDERS seqcst acqrel)
set(BIPBUF_VARIANTS "")
foreach(c IN LISTS BIPBUF_CACHES)
  foreach(p IN LISTS BIPBUF_PADS)
    foreach(o IN LISTS BIPBUF_ORDERS)
      list(APPEND BIPBUF_VARIANTS "${c}-${p}-${o}")
    endforeach()
  endforeach()
endforeach()
# The publish dimension (bipbuf/impl.h, BATCHED PUBLICATION): 0, the 12
# above, or K bytes. Not crossed with every other value: batching the
# consumer's stores of read pays where the producer loads read often, so it
# is built on the crate's design (uncached: the producer loads read at every
# reservation), where it should show most, and on the default variant (the
# best measured; cached: the producer loads read only when its view runs out
# of room), where it should show least. pad0 and seqcst lose to these for
# reasons batching does not touch. K = 1024: 4 messages of the seed workload,
# 128 of 8 bytes, a sixteenth of the 16 KiB buffer (the room the producer
# may see late). docs/FINDINGS.md ("Levers, measured"): the crate's base
# 1.31x at 8 bytes, the default's level, as predicted.
set(BIPBUF_BATCH_BASES cached-pad128-acqrel uncached-pad64-acqrel)
set(BIPBUF_BATCH_BYTES 1024)
foreach(base IN LISTS BIPBUF_BATCH_BASES)
  foreach(k IN LISTS BIPBUF_BATCH_BYTES)
    list(APPEND BIPBUF_VARIANTS "${base}-batch${k}")
  endforeach()
endforeach()
# The crate's design as the crate built it: uncached-pad64-acqrel with none
# of this project's levers (BIPBUF_LEVERS=0 in bipbuf/variant.h: no claiming
# or reading ahead, no prefetch, no CLDEMOTE), under its own name and prefix.
# uncached-pad64-acqrel keeps the levers every variant compiles (claiming
# ahead since it won its A/B). The baseline of every ratio to the crate.
set(BIPBUF_CRATE_DESIGN crate-design)
set(BIPBUF_CRATE_DESIGN_OF uncached-pad64-acqrel)
list(APPEND BIPBUF_VARIANTS ${BIPBUF_CRATE_DESIGN})
# What bipbench calls crate (and seed), and its default baseline.
set(BIPBUF_SEED_VARIANT ${BIPBUF_CRATE_DESIGN})
# The wake dimension (bipbuf/impl.h, SLEEPING WAITS): spin (no token, every
# variant above), fence, asym, eventfd. Any variant builds with any of them
# (bipbuf_variant_definitions); the study builds the ones its A/B needs: the
# default (cached-pad128-acqrel) and the crate's design with fence and asym,
# the default with eventfd, and the default's seqcst sibling with fence (its
# commit is a full barrier already).
set(BIPBUF_WAKES fence asym eventfd)
foreach(v cached-pad128-acqrel-fence cached-pad128-acqrel-asym cached-pad128-acqrel-eventfd
          crate-design-fence crate-design-asym cached-pad128-seqcst-fence)
  list(APPEND BIPBUF_VARIANTS ${v})
endforeach()
# What bipbuf.h builds without -D flags (docs/FINDINGS.md has the
# measurements behind that choice); test_unit checks that the two agree.
set(BIPBUF_DEFAULT_VARIANT cached-pad128-acqrel-asym)
# Negative controls: broken on purpose, built only for tests.
set(BIPBUF_CONTROL_VARIANTS cached-pad64-relaxed uncached-pad64-relaxed)
# Batched with a K that the tests' small capacities reach at almost every
# consume, built only for tests (unit, stress, sanitizers, fuzz, Relacy): the
# listed variants' 1024 bytes is reached only in their larger buffers.
set(BIPBUF_TEST_BATCH_VARIANTS cached-pad64-acqrel-batch3 uncached-pad0-seqcst-batch5)

# bipbuf_variant_wake(<name> <base-var> <wake-var>): <name> without its wake
# token, and the token (spin where there is none).
function(bipbuf_variant_wake name base wake)
  set(w spin)
  set(rest ${name})
  foreach(k IN ITEMS fence asym eventfd nofence)
    if(name MATCHES "^(.+)-${k}$")
      set(w ${k})
      set(rest ${CMAKE_MATCH_1})
    endif()
  endforeach()
  set(${base} ${rest} PARENT_SCOPE)
  set(${wake} ${w} PARENT_SCOPE)
endfunction()

# bipbuf_variant_definitions(<name> <out-var>): the -D list selecting <name>.
function(bipbuf_variant_definitions name out)
  bipbuf_variant_wake(${name} base wake)
  if(NOT wake STREQUAL "spin")
    bipbuf_variant_definitions(${base} defs)
    string(TOUPPER "${wake}" W)
    list(APPEND defs BIPBUF_WAKE=BIPBUF_WAKE_${W})
    if(wake STREQUAL "nofence")
      list(APPEND defs BIPBUF_ALLOW_BROKEN_WAKE)
    endif()
    set(${out} ${defs} PARENT_SCOPE)
    return()
  endif()
  if(name STREQUAL BIPBUF_CRATE_DESIGN)
    bipbuf_variant_definitions(${BIPBUF_CRATE_DESIGN_OF} defs)
    set(${out} ${defs} BIPBUF_LEVERS=0 PARENT_SCOPE)
    return()
  endif()
  string(REPLACE "-" ";" parts "${name}")
  list(LENGTH parts n)
  set(publish 0)
  if(n EQUAL 4)
    list(GET parts 3 batch)
    if(NOT batch MATCHES "^batch([1-9][0-9]*)$")
      message(FATAL_ERROR "bad publish '${batch}' in '${name}' (batchK, K > 0 bytes)")
    endif()
    set(publish ${CMAKE_MATCH_1})
  elseif(NOT n EQUAL 3)
    message(FATAL_ERROR "bad variant name '${name}'")
  endif()
  list(GET parts 0 cache)
  list(GET parts 1 pad)
  list(GET parts 2 order)
  if(cache STREQUAL "cached")
    set(c 1)
  elseif(cache STREQUAL "uncached")
    set(c 0)
  else()
    message(FATAL_ERROR "bad cache '${cache}' in '${name}'")
  endif()
  string(REGEX REPLACE "^pad" "" p "${pad}")
  string(TOUPPER "${order}" O)
  set(defs BIPBUF_CACHED=${c} BIPBUF_PAD=${p} BIPBUF_ORDER=BIPBUF_ORDER_${O})
  if(publish GREATER 0)
    list(APPEND defs BIPBUF_PUBLISH=${publish})
  endif()
  if(order STREQUAL "relaxed")
    list(APPEND defs BIPBUF_ALLOW_BROKEN_RELAXED)
  endif()
  set(${out} ${defs} PARENT_SCOPE)
endfunction()

# bipbuf_variant_id(<name> <out-var>): the C identifier of <name>.
function(bipbuf_variant_id name out)
  string(REPLACE "-" "_" id "${name}")
  set(${out} ${id} PARENT_SCOPE)
endfunction()

# bipbuf_variant_objects(<prefix> VARIANTS <names...> SOURCES <files...>
#                        [INCLUDES <dirs...>] [LIBRARIES <targets...>])
# Compiles SOURCES once per variant into object library <prefix>_<id>;
# sets <prefix>_OBJECT_TARGETS in the caller's scope.
function(bipbuf_variant_objects prefix)
  cmake_parse_arguments(A "" "" "VARIANTS;SOURCES;INCLUDES;LIBRARIES" ${ARGN})
  set(targets "")
  foreach(v IN LISTS A_VARIANTS)
    bipbuf_variant_id(${v} id)
    bipbuf_variant_definitions(${v} defs)
    add_library(${prefix}_${id} OBJECT ${A_SOURCES})
    target_compile_definitions(${prefix}_${id} PRIVATE ${defs})
    target_include_directories(${prefix}_${id} PRIVATE
      ${PROJECT_SOURCE_DIR}/core/include ${BIPBUF_GENERATED_DIR} ${A_INCLUDES})
    if(A_LIBRARIES)
      target_link_libraries(${prefix}_${id} PRIVATE ${A_LIBRARIES})
    endif()
    list(APPEND targets ${prefix}_${id})
  endforeach()
  set(${prefix}_OBJECT_TARGETS ${targets} PARENT_SCOPE)
endfunction()

# bipbuf_sanitize(<target> thread|address): instrument a whole executable.
function(bipbuf_sanitize target kind)
  if(kind STREQUAL "thread")
    set(flags -fsanitize=thread -g -O1)
    # GCC warns (-Wtsan) that TSan does not model atomic_thread_fence. The
    # core's fences order only the sleeping waits' flags against an index,
    # atomics both (bipbuf/impl.h, SLEEPING WAITS), never plain data, so
    # what TSan leaves out cannot hide a race it would report; the fence
    # instruction still runs.
    if(CMAKE_C_COMPILER_ID STREQUAL "GNU" AND CMAKE_C_COMPILER_VERSION VERSION_GREATER_EQUAL 11)
      list(APPEND flags -Wno-tsan)
    endif()
  elseif(kind STREQUAL "address")
    set(flags -fsanitize=address,undefined -fno-sanitize-recover=all
              -fno-omit-frame-pointer -g -O1)
  else()
    message(FATAL_ERROR "bipbuf_sanitize: unknown kind '${kind}'")
  endif()
  target_compile_options(${target} PRIVATE ${flags})
  target_link_options(${target} PRIVATE ${flags})
endfunction()

# The X-macro list for C code.
set(BIPBUF_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
set(_x "")
foreach(v IN LISTS BIPBUF_VARIANTS)
  bipbuf_variant_id(${v} id)
  bipbuf_variant_wake(${v} vbase wake)
  string(TOUPPER "${wake}" W)
  if(vbase STREQUAL BIPBUF_CRATE_DESIGN)
    string(REPLACE "-" ";" parts "${BIPBUF_CRATE_DESIGN_OF}")
  else()
    string(REPLACE "-" ";" parts "${vbase}")
  endif()
  list(GET parts 0 c)
  list(GET parts 1 p)
  list(GET parts 2 o)
  string(REGEX REPLACE "^pad" "" p "${p}")
  string(TOUPPER "${o}" O)
  if(c STREQUAL "cached")
    set(cn 1)
  else()
    set(cn 0)
  endif()
  set(k 0)
  if(vbase MATCHES "-batch([0-9]+)$")
    set(k ${CMAKE_MATCH_1})
  endif()
  string(APPEND _x "    X(${id}, \"${v}\", ${cn}, ${p}, BIPBUF_ORDER_${O}, ${k}, BIPBUF_WAKE_${W}) \\\n")
endforeach()
list(LENGTH BIPBUF_VARIANTS _n)
# file(CONFIGURE) rewrites the header only when it changes: no needless rebuilds.
file(CONFIGURE OUTPUT ${BIPBUF_GENERATED_DIR}/bipbuf_variants.h CONTENT
"/*
 * bipbuf_variants.h - the variants in libbipbuf_variants (CMake target
 * bipbuf::variants, pkg-config bipbuf-variants), as an X-macro list.
 * Generated by variants/Variants.cmake: do not edit.
 *
 * A program uses a variant by compiling a translation unit for it: define
 * all three of BIPBUF_CACHED, BIPBUF_PAD and BIPBUF_ORDER (and, for a
 * -batchK variant, BIPBUF_PUBLISH=K; for crate-design, those of
 * uncached-pad64-acqrel and BIPBUF_LEVERS=0; for a -fence, -asym or -eventfd
 * variant, BIPBUF_WAKE=BIPBUF_WAKE_FENCE, _ASYM or _EVENTFD) before
 * including <bipbuf.h>, then
 * link libbipbuf_variants. Two units of two variants:
 *     cc -DBIPBUF_CACHED=1 -DBIPBUF_PAD=64 -DBIPBUF_ORDER=BIPBUF_ORDER_ACQREL -c a.c
 *     cc -DBIPBUF_CACHED=0 -DBIPBUF_PAD=128 -DBIPBUF_ORDER=BIPBUF_ORDER_SEQCST -c b.c
 *     cc a.o b.o -lbipbuf_variants
 * With CMake, give each variant's sources their definitions (an object
 * library per variant, say) and link bipbuf::variants.
 * In such a unit the API's names stand for the variant's own (bipbuf_init
 * for bipbuf_cached_pad64_acqrel_init, the type bipbuf for struct
 * bipbuf_cached_pad64_acqrel, ...), so the variants link side by side; a
 * buffer belongs to the variant that made it, and only code compiled for
 * that variant may use it. BIPBUF_VARIANT_NAME (a string) and
 * BIPBUF_VARIANT_ID (an identifier) name the unit's variant.
 */
#ifndef BIPBUF_VARIANTS_H
#define BIPBUF_VARIANTS_H
/* X(id, \"name\", cached, pad, order, publish, wake) for every variant of
 * the study; publish: 0, or K for a -batchK variant; wake: BIPBUF_WAKE_SPIN,
 * or _FENCE, _ASYM, _EVENTFD for the -fence, -asym, -eventfd variants. */
#define BIPBUF_FOR_EACH_VARIANT(X) \\
${_x}    /* end */
#define BIPBUF_VARIANT_COUNT ${_n}
/* The crate's design as the crate built it (no lever of this project); the
 * names 'crate' and 'seed' are aliases of it. */
#define BIPBUF_SEED_VARIANT \"${BIPBUF_SEED_VARIANT}\"
/* The variant the library builds by default (bipbuf.h). */
#define BIPBUF_DEFAULT_VARIANT \"${BIPBUF_DEFAULT_VARIANT}\"
#endif
" @ONLY)
