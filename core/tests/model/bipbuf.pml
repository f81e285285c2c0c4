/*
 * bipbuf.pml - the bip buffer's producer/consumer protocol, as bipbuf/impl.h
 * implements it, for the Spin model checker.
 *
 * One producer sends NMSG messages, each of a nondeterministic length in
 * 1..MAXR (MAXR = CAP / 2, the header's max_reserve) and commits all, part
 * or none of it; one consumer peeks and consumes nondeterministic amounts.
 * Every access to a shared index (write, last, read) is one atomic step, in
 * the header's order; everything else a side does on its own variables is
 * grouped with it. Memory is sequentially consistent here: weak-memory
 * behaviour is checked on the real source by the Relacy test.
 *
 * Ghost state checks the payload: the producer writes byte number s (mod
 * 256) of the stream into buf[], `live[i]` says that offset i holds a
 * published, unconsumed byte. Properties:
 *   - the producer never writes into a live byte (no overwrite);
 *   - the consumer reads only live bytes, and each holds the next byte
 *     number of the stream (nothing lost, duplicated or reordered);
 *   - both sides finish (no invalid end state), and, under weak fairness,
 *     everything sent is eventually consumed (ltl `delivered`): lengths
 *     within max_reserve never starve.
 *
 * Batched publication (PUBLISH = K > 0, the -batchK variants; bipbuf/impl.h,
 * BATCHED PUBLICATION): the consumer stores read (C2) only (a) once K bytes
 * are held back, (b) when it has consumed all its latest peek showed, or
 * (c) when a fresh view shows fewer bytes than it asked for. More ghost
 * state: `held[i]` says that offset i was consumed but not yet released by a
 * store of read; the producer must not write it either (it has no licence
 * yet), and when the consumer finishes nothing may be held back (the
 * promise that a drained buffer gives max_reserve). Liveness (`delivered`)
 * then also says that holding bytes back never deadlocks the pair.
 *
 * Parameters (spin -D...): CAP (capacity, default 6), NMSG (messages,
 * default 3), CACHED (1: private copies of the peer's index, as in the
 * cached variants; 0: reload on every call), PUBLISH (0, the default: read
 * stored at every consume; K: batched, as above).
 * Mutations, each of which the checker must catch (the test suite checks
 * that it does): MUT_NO_GAP (wrap without the one-byte gap),
 * MUT_LAST_BEFORE_WRITE (consumer loads last before write),
 * MUT_LAST_AFTER_WRITE (producer stores last after publishing write),
 * MUT_OVER_RESERVE (lengths up to max_reserve + 1, which can starve: the
 * liveness check must fail). Negative controls of batching, which the
 * liveness check must fail with an acceptance cycle (a state from which
 * neither side ever gets on):
 *   MUT_WAIT_UNPUBLISHED (with PUBLISH): the consumer stores read only at K
 *     bytes, never before it waits: it waits for data with bytes held back
 *     that a producer waiting for room needs: deadlock.
 *   MUT_PRODUCER_DEFERS (with PUBLISH): the producer batches its store of
 *     write the same way (at K bytes committed, or before it waits for
 *     room): its last commit is never published and the consumer waits for
 *     it forever: why the producer does not batch.
 *
 *   spin -DCAP=6 -a bipbuf.pml && cc -O2 -DSAFETY -DNOCLAIM -o pan pan.c && ./pan
 *   spin -DCAP=6 -a bipbuf.pml && cc -O2 -o pan pan.c && ./pan -a -f
 */

#ifndef CAP
#define CAP 6
#endif
#ifndef NMSG
#define NMSG 3
#endif
#ifndef CACHED
#define CACHED 1
#endif
#ifndef PUBLISH
#define PUBLISH 0
#endif
#ifdef MUT_OVER_RESERVE
#define MAXR (CAP / 2 + 1) /* beyond max_reserve: may starve */
#else
#define MAXR (CAP / 2)
#endif

/* Shared indices: each written by one side only. */
byte write = 0; /* producer */
byte last = 0;  /* producer */
byte read = 0;  /* consumer */

/* Payload and ghosts. */
byte buf[CAP];
bool live[CAP];
#if PUBLISH > 0
bool held[CAP];    /* consumed, not yet released by a store of read */
#endif
byte sent = 0;     /* bytes committed */
byte got = 0;      /* bytes consumed */
bool pdone = false;

ltl delivered { <> (pdone && got == sent) }

/* The producer's bipbuf__fits on its view (pw, pr): sets ok and start. */
inline fits(sz) {
    if
    :: pw >= pr ->
        if
        :: CAP - pw >= sz -> ok = true; start = pw
#ifdef MUT_NO_GAP
        :: else -> if :: pr >= sz -> ok = true; start = 0 :: else -> ok = false fi
#else
        :: else -> if :: pr > sz -> ok = true; start = 0 :: else -> ok = false fi
#endif
        fi
    :: else ->
        if
        :: pr - pw - 1 >= sz -> ok = true; start = pw
        :: else -> ok = false
        fi
    fi
}

proctype producer() {
    byte pw = 0, pl = 0, pr = 0; /* prod.write, prod.last, prod.read */
    byte sz, start, k, i, w, msgs = 0;
#ifdef MUT_PRODUCER_DEFERS
    byte pend = 0; /* committed, write not yet stored */
#endif
    byte seq = 0; /* number of the next byte of the stream */
    bool ok;
    do
    :: msgs == NMSG -> break
    :: else ->
        /* bipbuf_reserve(sz): try_reserve, retried while -EAGAIN. */
        select(sz : 1 .. MAXR);
retry:
        ok = false;
        if
        :: CACHED -> atomic { fits(sz) }
        :: else -> skip
        fi;
        if
        :: !ok ->
            /* P1: load read */
            atomic { pr = read; fits(sz) }
            if
            :: !ok ->
#ifdef MUT_PRODUCER_DEFERS
                /* Publish before waiting for room. */
                if
                :: pend > 0 -> atomic { write = pw; pend = 0 }
                :: else -> skip
                fi;
#endif
                goto retry
            :: else -> skip
            fi
        :: else -> skip
        fi;
        /* Fill the reservation: it must hold no unconsumed byte. */
        i = 0;
        do
        :: i < sz ->
            atomic {
                assert(start + i < CAP);
                assert(!live[start + i]);
#if PUBLISH > 0
                assert(!held[start + i]);
#endif
                buf[start + i] = seq + i;
                i++
            }
        :: else -> break
        od;
        /* bipbuf_commit(k): all, part or none of it. */
        select(k : 0 .. sz);
        if
        :: k == 0 -> skip /* cancel: nothing published */
        :: else ->
#ifndef MUT_LAST_AFTER_WRITE
            if
            :: start != pw -> atomic { pl = pw; last = pl }
            :: else -> skip
            fi;
            w = start + k;
            if
            :: w > pl -> atomic { pl = w; last = w }
            :: else -> skip
            fi;
#else
            w = start + k;
#endif
            /* P2: store write, publishing [start, w) and last. The ghost
             * marks them live in the same step. */
            atomic {
                i = start;
                do
                :: i < w -> live[i] = true; i++
                :: else -> break
                od;
                sent = sent + k;
#ifdef MUT_PRODUCER_DEFERS
                pend = pend + k
            };
            if
            :: pend >= PUBLISH -> atomic { write = w; pend = 0 }
            :: else -> skip
            fi;
#else
                write = w
            }
#endif
#ifdef MUT_LAST_AFTER_WRITE
            if
            :: start != pw -> atomic { pl = pw; last = pl }
            :: else -> skip
            fi;
            if
            :: w > pl -> atomic { pl = w; last = w }
            :: else -> skip
            fi;
#endif
            pw = w;
            seq = seq + k
        fi;
        /* Forget this message's scratch values: fewer distinct states. */
        atomic { msgs++; sz = 0; start = 0; k = 0; i = 0; w = 0; ok = false }
    od;
    pdone = true
}

/* The consumer's bipbuf__readable on its view: sets n, may wrap cr. */
inline readable() {
    if
    :: cw >= cr -> n = cw - cr
    :: else ->
        if
        :: cr == cl -> cr = 0; n = cw
        :: else -> n = cl - cr
        fi
    fi
}

#if PUBLISH > 0
/* C2 of a batched consumer: store read, releasing every byte held back. */
inline store_read() {
    i = 0;
    do
    :: i < CAP -> held[i] = false; i++
    :: else -> break
    od;
    read = cr;
    hb = 0;
    i = 0
}
#endif

proctype consumer() {
    byte cr = 0, cw = 0, cl = 0; /* cons.read, cons.write, cons.last */
    byte n, want, k, i;
    byte seq = 0; /* number of the next byte expected */
#if PUBLISH > 0
    byte hb = 0;  /* bytes held back: consumed since the last store of read */
#endif
    do
    :: pdone && got == sent ->
#if PUBLISH > 0 && !defined(MUT_WAIT_UNPUBLISHED)
        /* Drained: nothing held back, so the producer sees all the room. */
        assert(hb == 0);
#endif
        break
    :: else ->
        /* bipbuf_peek(want): want 1 (any data) or MAXR (a whole message). */
        if
        :: want = 1
        :: want = MAXR
        fi;
        if
        :: CACHED -> atomic { readable() }
        :: else -> n = 0
        fi;
        if
        :: !CACHED || n < want ->
#ifdef MUT_LAST_BEFORE_WRITE
            cl = last;
            cw = write;
#else
            /* C1: load write, then (wrapped) last */
            cw = write;
            if
            :: cw < cr -> cl = last
            :: else -> skip
            fi;
#endif
#if PUBLISH > 0 && !defined(MUT_WAIT_UNPUBLISHED)
            /* (c): a fresh view short of want releases what is held back
             * (the store of read is the step's one shared access). */
            atomic {
                readable();
                if
                :: n < want && hb > 0 -> store_read()
                :: else -> skip
                fi
            }
#else
            atomic { readable() }
#endif
        :: else -> skip
        fi;
        if
        :: n == 0 -> skip /* nothing yet: peek again */
        :: else ->
            /* Read what to consume: live, and the stream's next bytes. */
            select(k : 1 .. n);
            i = 0;
            do
            :: i < k ->
                atomic {
                    assert(cr + i < CAP);
                    assert(live[cr + i]);
                    assert(buf[cr + i] == seq);
                    seq++;
                    i++
                }
            :: else -> break
            od;
#if PUBLISH > 0
            /* Consume; C2 only (a) at K bytes held back, or (b) at the end
             * of what the peek showed. */
            atomic {
                i = 0;
                do
                :: i < k -> live[cr + i] = false; held[cr + i] = true; i++
                :: else -> break
                od;
                cr = cr + k;
                got = got + k;
                hb = hb + k;
                i = 0;
                if
                :: hb >= PUBLISH -> store_read()
#ifndef MUT_WAIT_UNPUBLISHED
                :: hb < PUBLISH && k == n -> store_read()
#endif
                :: else -> skip
                fi
            }
#else
            /* C2: store read; the bytes are no longer ours. */
            atomic {
                i = 0;
                do
                :: i < k -> live[cr + i] = false; i++
                :: else -> break
                od;
                cr = cr + k;
                got = got + k;
                read = cr;
                i = 0
            }
#endif
        fi;
        n = 0;
        want = 0
    od
}

init {
    atomic {
        run producer();
        run consumer()
    }
}
