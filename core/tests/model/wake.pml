/*
 * wake.pml - the sleeping waits' protocol (bipbuf/impl.h, SLEEPING WAITS)
 * under x86-TSO, checked by Spin: no lost wake-up, and a close always
 * wakes.
 *
 * Each side's stores go through its own FIFO store buffer (pbuf, cbuf),
 * drained into memory by a process of its own at any moment; a side's
 * loads of the other side's words read memory, so a store may still sit in
 * its buffer while the same side's later load goes ahead: the store
 * buffering that makes the protocol need its fences. A side never loads
 * its own words (it knows them), so no forwarding is modelled.
 *   FENCE (mfence, a locked instruction): wait until the own buffer is
 *     empty;
 *   a locked exchange (W2's): drains the own buffer, then reads and writes
 *     memory at once;
 *   futex_wait(word, 1): the system call drains the buffer (the kernel
 *     takes a lock), then blocks while the word in memory is 1; with
 *     -DTIMEOUTS it may also return at any moment (a timeout or a signal);
 *   futex_wake: the waker's exchange of the word to 0 is what ends the
 *     sleeper's wait here.
 * Wake kinds (-D):
 *   default  fence: S2 and W1 are fences;
 *   ASYM     asym: W1 is nothing (a compiler barrier); S2 is membarrier:
 *            the sleeper's buffer and the publisher's are both drained
 *            (the barrier the call forces on every running thread);
 *   NOFENCE  the control: no S2, no W1. It must be caught: a sleeper
 *            blocked for good once the producer has finished is an invalid
 *            end state.
 *   ASYM_NO_IPI  a control: asym whose membarrier drains only the
 *            sleeper's own buffer (as if the call forced nothing on the
 *            publisher): must be caught the same way.
 *   MUT_CLOSE_NO_WAKE  a control: a close that does not look for a
 *            sleeper: must be caught (a consumer asleep when the producer
 *            closes sleeps on).
 *
 * The producer sends NMSG messages through a buffer that holds CAP, then
 * closes. The consumer reads until the producer has closed and nothing is
 * left. Both wait with a spin budget of 0: every wait that finds nothing
 * announces itself, fences, looks again (S3), and sleeps. Waiting for room,
 * the producer is the sleeper and the consumer the publisher.
 */
#ifndef NMSG
#    define NMSG 3
#endif
#ifndef CAP
#    define CAP 1
#endif

#define WDATA  0 /* messages committed (the producer's write index) */
#define WCONS  1 /* messages consumed (the consumer's read index) */
#define CSLEEP 2 /* cons_sleeps */
#define PSLEEP 3 /* prod_sleeps */
#define CLOSED 4 /* closed.producer */

byte mem[5];
chan pbuf = [4] of { byte, byte };
chan cbuf = [4] of { byte, byte };

proctype drain(chan buf) {
    byte v, x;
end:
    do
    :: atomic { buf?v,x -> mem[v] = x }
    od
}

/* S2, by the sleeper whose buffer is mine and whose peer's is other. */
#if defined(NOFENCE)
#    define S2(mine, other) skip
#    define W1(mine) skip
#elif defined(ASYM)
#    define S2(mine, other) empty(mine) && empty(other)
#    define W1(mine) skip
#elif defined(ASYM_NO_IPI)
#    define S2(mine, other) empty(mine)
#    define W1(mine) skip
#else
#    define S2(mine, other) empty(mine)
#    define W1(mine) empty(mine)
#endif

/* W1, W2: after a publication, wake the peer if it has announced. */
inline wake_check(mine, word) {
    W1(mine);
    if
    :: mem[word] == 1 -> empty(mine); atomic { mem[word] = 0 }
    :: else -> skip
    fi
}

/* S1, S2, S3 and the sleep, for a side whose condition to go on is cond. */
inline sleep_wait(mine, other, word, cond) {
    mine!word,1;            /* S1 */
    S2(mine, other);        /* S2 */
    if
    :: cond -> mine!word,0  /* S3 saw it: no sleep, word cleared */
    :: else ->
        empty(mine);        /* futex_wait's entry */
#ifdef TIMEOUTS
        if
        :: mem[word] != 1 -> skip
        :: true -> skip     /* timed out, or a signal */
        fi;
#else
        mem[word] != 1;     /* sleeps while the word is 1 */
#endif
        mine!word,0         /* cleared on the way out */
    fi
}

bool consumer_done = false;

active proctype producer() {
    byte sent = 0;
    do
    :: sent < NMSG ->
        do
        :: sent - mem[WCONS] < CAP -> break
        :: else -> sleep_wait(pbuf, cbuf, PSLEEP, (sent - mem[WCONS] < CAP))
        od;
        sent++;
        pbuf!WDATA,sent;                 /* commit: P2 */
        wake_check(pbuf, CSLEEP)
    :: else -> break
    od;
    /* bipbuf_close_producer: a release store, a full fence, W2. */
    pbuf!CLOSED,1;
#ifndef MUT_CLOSE_NO_WAKE
    empty(pbuf);
    if
    :: mem[CSLEEP] == 1 -> atomic { mem[CSLEEP] = 0 }
    :: else -> skip
    fi
#endif
}

active proctype consumer() {
    byte got = 0;
    do
    :: mem[WDATA] > got ->
        got++;
        cbuf!WCONS,got;                  /* consume: C2 */
        wake_check(cbuf, PSLEEP)
    :: else ->
        if
        :: mem[CLOSED] == 1 ->
            /* closed: one more look, then the end of the stream */
            if
            :: mem[WDATA] > got -> skip
            :: else -> break
            fi
        :: else -> sleep_wait(cbuf, pbuf, CSLEEP, (mem[WDATA] > got || mem[CLOSED] == 1))
        fi
    od;
    assert(got == NMSG);
    consumer_done = true
}

init {
    run drain(pbuf);
    run drain(cbuf)
}
