/*
 * bipbuf/order_seqcst.h - every atomic access is sequentially consistent.
 *
 * The conservative reference: a single total order over all index loads and
 * stores. On x86-64 each publishing store becomes an `xchg` (or `mov` +
 * `mfence`); on AArch64 loads become `ldar` and stores `stlr`.
 *
 * INTERNAL: not part of the API, and may change in any release. Include
 * <bipbuf.h> instead.
 */
#ifndef BIPBUF_ORDER_H
#define BIPBUF_ORDER_H
#ifndef BIPBUF_H
#    error "bipbuf/order_seqcst.h is internal: include <bipbuf.h> instead"
#endif
#define BIPBUF_ORDER_NAME "seqcst"
#define BIPBUF__ORDER_TOK seqcst
/* Load of the peer's index (producer: read; consumer: write, last). */
#define BIPBUF__LOAD_PEER(p) BIPBUF__ALOAD((p), BIPBUF__MO_SEQ_CST)
/* Store of an index that the peer acts on as soon as it sees it. */
#define BIPBUF__STORE_PUB(p, v) BIPBUF__ASTORE((p), (v), BIPBUF__MO_SEQ_CST)
/* Store of an index that a later STORE_PUB by the same thread publishes. */
#define BIPBUF__STORE_PRE(p, v) BIPBUF__ASTORE((p), (v), BIPBUF__MO_SEQ_CST)
#endif
