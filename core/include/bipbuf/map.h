/*
 * bipbuf/map.h - symbol mapping for variant builds (liburcu style).
 *
 * Code is written once against the public names (bipbuf, bipbuf_init, ...).
 * When a translation unit selects a variant (BIPBUF_CACHED, BIPBUF_PAD and
 * BIPBUF_ORDER all defined), this header maps every public name to the
 * variant's own prefix, e.g. bipbuf_init -> bipbuf_cached_pad64_acqrel_init,
 * so that every variant links into one executable. Included by
 * bipbuf/variant.h.
 *
 * INTERNAL: not part of the API, and may change in any release. Include
 * <bipbuf.h> instead.
 */
#ifndef BIPBUF_MAP_H
#define BIPBUF_MAP_H
#ifndef BIPBUF_H
#    error "bipbuf/map.h is internal: include <bipbuf.h> instead"
#endif

#define bipbuf               BIPBUF_PREFIX
#define bipbuf_init          BIPBUF_CONCAT(BIPBUF_PREFIX, _init)
#define bipbuf_create        BIPBUF_CONCAT(BIPBUF_PREFIX, _create)
#define bipbuf_destroy       BIPBUF_CONCAT(BIPBUF_PREFIX, _destroy)
#define bipbuf_capacity      BIPBUF_CONCAT(BIPBUF_PREFIX, _capacity)
#define bipbuf_max_reserve   BIPBUF_CONCAT(BIPBUF_PREFIX, _max_reserve)
#define bipbuf_try_reserve   BIPBUF_CONCAT(BIPBUF_PREFIX, _try_reserve)
#define bipbuf_reserve       BIPBUF_CONCAT(BIPBUF_PREFIX, _reserve)
#define bipbuf_commit        BIPBUF_CONCAT(BIPBUF_PREFIX, _commit)
#define bipbuf_peek          BIPBUF_CONCAT(BIPBUF_PREFIX, _peek)
#define bipbuf_consume       BIPBUF_CONCAT(BIPBUF_PREFIX, _consume)
#define bipbuf_peek_wait     BIPBUF_CONCAT(BIPBUF_PREFIX, _peek_wait)
#define bipbuf__reserve_wait BIPBUF_CONCAT(BIPBUF_PREFIX, __reserve_wait)
#define bipbuf__peek_wait    BIPBUF_CONCAT(BIPBUF_PREFIX, __peek_wait)

/* End of stream (bipbuf.h). */
#define bipbuf_close_producer BIPBUF_CONCAT(BIPBUF_PREFIX, _close_producer)
#define bipbuf_close_consumer BIPBUF_CONCAT(BIPBUF_PREFIX, _close_consumer)
#define bipbuf_closed         BIPBUF_CONCAT(BIPBUF_PREFIX, _closed)

/* Sleeping waits (bipbuf.h). */
#define bipbuf_fini          BIPBUF_CONCAT(BIPBUF_PREFIX, _fini)
#define bipbuf_set_spin      BIPBUF_CONCAT(BIPBUF_PREFIX, _set_spin)
#define bipbuf_reserve_timed BIPBUF_CONCAT(BIPBUF_PREFIX, _reserve_timed)
#define bipbuf_peek_timed    BIPBUF_CONCAT(BIPBUF_PREFIX, _peek_timed)
#define bipbuf_wake_kind     BIPBUF_CONCAT(BIPBUF_PREFIX, _wake_kind)
#define bipbuf_wake_fd       BIPBUF_CONCAT(BIPBUF_PREFIX, _wake_fd)
#define bipbuf_peek_arm      BIPBUF_CONCAT(BIPBUF_PREFIX, _peek_arm)
#define bipbuf_sleep_count   BIPBUF_CONCAT(BIPBUF_PREFIX, _sleep_count)
#define bipbuf_wake_count    BIPBUF_CONCAT(BIPBUF_PREFIX, _wake_count)
#define bipbuf__wake         BIPBUF_CONCAT(BIPBUF_PREFIX, __wake)
#define bipbuf__heavy_fence  BIPBUF_CONCAT(BIPBUF_PREFIX, __heavy_fence)

#endif
