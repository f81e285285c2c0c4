/*
 * bipbuf/order_acqrel.h - acquire loads of the peer's index, release stores
 * of one's own, relaxed stores where a later release publishes them.
 *
 * The weakest orders that the protocol's happens-before argument needs (see
 * bipbuf/impl.h, MEMORY ORDERING). On x86-64 every one of these is a plain `mov`;
 * on AArch64 loads become `ldar` and publishing stores `stlr`.
 *
 * INTERNAL: not part of the API, and may change in any release. Include
 * <bipbuf.h> instead.
 */
#ifndef BIPBUF_ORDER_H
#define BIPBUF_ORDER_H
#ifndef BIPBUF_H
#    error "bipbuf/order_acqrel.h is internal: include <bipbuf.h> instead"
#endif
#define BIPBUF_ORDER_NAME       "acqrel"
#define BIPBUF__ORDER_TOK       acqrel
#define BIPBUF__LOAD_PEER(p)    BIPBUF__ALOAD((p), BIPBUF__MO_ACQUIRE)
#define BIPBUF__STORE_PUB(p, v) BIPBUF__ASTORE((p), (v), BIPBUF__MO_RELEASE)
/* `last` is stored before the release store of `write` that publishes it. */
#define BIPBUF__STORE_PRE(p, v) BIPBUF__ASTORE((p), (v), BIPBUF__MO_RELAXED)
#endif
