/*
 * order_probe.c - the two atomic operations each memory order compiles to,
 * isolated for scripts/disasm: the consumer's load of the producer's index
 * (C1) and the producer's publishing store of its own (P2). Built with the
 * same order header and atomics backend as the real core.
 */
#include "bipbuf.h"

size_t probe_load_peer(bipbuf *b) {
    return BIPBUF__LOAD_PEER(&b->write);
}

void probe_store_pub(bipbuf *b, size_t v) {
    BIPBUF__STORE_PUB(&b->write, v);
}
