/*
 * bipbuf/order_relaxed.h - NEGATIVE CONTROL FOR TESTS ONLY.
 *
 * Every access relaxed: nothing orders the payload bytes against the index
 * that announces them, so the buffer is broken on weakly ordered machines and
 * racy under the C11 model everywhere. ThreadSanitizer must report it; the
 * test suite checks that it does. Selecting it requires
 * BIPBUF_ALLOW_BROKEN_RELAXED. It is not installed: only test builds, which
 * take their headers from the source tree, can select it.
 *
 * INTERNAL: not part of the API, and may change in any release. Include
 * <bipbuf.h> instead.
 */
#ifndef BIPBUF_ORDER_H
#define BIPBUF_ORDER_H
#ifndef BIPBUF_H
#    error "bipbuf/order_relaxed.h is internal: include <bipbuf.h> instead"
#endif
#ifndef BIPBUF_ALLOW_BROKEN_RELAXED
#    error "the relaxed order is a broken negative control for tests"
#endif
#define BIPBUF_ORDER_NAME       "relaxed"
#define BIPBUF__ORDER_TOK       relaxed
#define BIPBUF__LOAD_PEER(p)    BIPBUF__ALOAD((p), BIPBUF__MO_RELAXED)
#define BIPBUF__STORE_PUB(p, v) BIPBUF__ASTORE((p), (v), BIPBUF__MO_RELAXED)
#define BIPBUF__STORE_PRE(p, v) BIPBUF__ASTORE((p), (v), BIPBUF__MO_RELAXED)
#endif
