/*
 * test_unit.c - every function and error path of the public API, on one
 * thread, checked against a model.
 *
 * Written once against the plain names; the build compiles it once for the
 * default variant and once per variant (-DBIPBUF_CACHED/PAD/ORDER, with
 * BIPBUF_TEST_VARIANT naming the variant it expects to be).
 *
 * The model is a byte queue (every committed, unconsumed byte, in order)
 * plus a map of which storage bytes hold them, plus the placement rule of the
 * design (tail first, then wrap to 0 keeping a one-byte gap), plus, for the
 * batched variants (-batchK), the rule of when the consumer stores its read
 * index (bipbuf/impl.h, BATCHED PUBLICATION). Every reserve is checked for
 * its error code and its exact position, for staying inside the storage and
 * off unconsumed bytes; every peek for its position, its length and every
 * byte it shows; after every peek and consume, the shared read index for
 * the value the model says the consumer has stored.
 *
 * Usage: test_unit [max-capacity]   (exhaustive part up to that capacity,
 * default 40; below 40 the run is shortened elsewhere too, which is how the
 * sanitizer builds stay quick).
 */
#define _POSIX_C_SOURCE 200809L
/* Every line the producer claims ahead (bipbuf/impl.h, BIPBUF__CLAIM_LINE) is
 * recorded; m_reserve checks each against the model's unconsumed bytes. */
static void record_claim(const unsigned char *p);
#define BIPBUF__CLAIM_LINE(p) record_claim(p)
/* So is every line demoted (BIPBUF__DEMOTE_LINE, with BIPBUF_CLDEMOTE);
 * m_commit and m_consume check them against the lines each completes. */
static void record_demote(const unsigned char *p);
#define BIPBUF__DEMOTE_LINE(p) record_demote(p)
/* And every line the consumer reads ahead (BIPBUF__READ_LINE, with
 * BIPBUF_READ_AHEAD); m_consume checks them against the model. */
static void record_read(const unsigned char *p);
#define BIPBUF__READ_LINE(p) record_read(p)
#include "bipbuf.h"
#include "check.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef BIPBUF_TEST_VARIANT
#    error "BIPBUF_TEST_VARIANT: the variant this build should be (CMake passes it)"
#endif

/* ---- a small deterministic generator ------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng_next(void) {
    /* xorshift64*: fast, and good enough to pick lengths and operations. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t rng_below(size_t n) {
    return n ? (size_t)(rng_next() % n) : 0;
}

/* ---- lines claimed ahead ---------------------------------------------------- */

#define MAX_CLAIMS 4096
static const unsigned char *claims[MAX_CLAIMS];
static size_t n_claims;          /* since the last reserve began */
static unsigned long claims_all; /* in the whole run */

static void record_claim(const unsigned char *p) {
    if (n_claims < MAX_CLAIMS)
        claims[n_claims] = p;
    n_claims++;
    claims_all++;
}

/* ---- lines demoted ----------------------------------------------------------- */

#define MAX_DEMOTES 4096
static const unsigned char *demotes[MAX_DEMOTES];
static size_t n_demotes;          /* since the last commit or consume began */
static unsigned long demotes_all; /* in the whole run */

static void record_demote(const unsigned char *p) {
    if (n_demotes < MAX_DEMOTES)
        demotes[n_demotes] = p;
    n_demotes++;
    demotes_all++;
    bipbuf__demote(p); /* and the instruction itself: a NOP where unsupported */
}

/* The lines demoted since n_demotes was reset must be exactly those whose
 * last byte lies in [mem + from, mem + to): the lines that a commit or
 * consume of those bytes completes (none with BIPBUF_CLDEMOTE off). */
static void check_demotes(const unsigned char *mem, size_t from, size_t to, const char *what) {
    uintptr_t p = ((uintptr_t)mem + from) & ~(uintptr_t)(BIPBUF__LINE_SIZE - 1);
    uintptr_t end = ((uintptr_t)mem + to) & ~(uintptr_t)(BIPBUF__LINE_SIZE - 1);
    size_t i = 0, want = BIPBUF_CLDEMOTE && to > from ? (size_t)(end - p) / BIPBUF__LINE_SIZE : 0;
    if (CHECK_SIZE(n_demotes, ==, want)) {
        fprintf(stderr, "  %s of [%zu, %zu) demoted %zu lines\n", what, from, to, n_demotes);
        check_bail();
    }
    for (; i < want && i < MAX_DEMOTES; i++, p += BIPBUF__LINE_SIZE)
        CHECK_PTR(demotes[i], ==, (const unsigned char *)p);
}

/* ---- lines read ahead -------------------------------------------------------- */

#define MAX_READS 4096
static const unsigned char *reads[MAX_READS];
static size_t n_reads;          /* since the last consume began */
static unsigned long reads_all; /* in the whole run */

static void record_read(const unsigned char *p) {
    if (n_reads < MAX_READS)
        reads[n_reads] = p;
    n_reads++;
    reads_all++;
    __builtin_prefetch(p, 0, 3);
}

/* ---- the model ----------------------------------------------------------- */

typedef struct model {
    bipbuf *b;
    unsigned char *mem; /* the buffer's storage */
    size_t cap, max;
    /* producer side, as the design describes it */
    size_t w, last;
    int open;
    size_t open_start, open_len;
    /* consumer side: its position and the shared read index (what it has
     * stored, which the producer goes by) */
    size_t rc, r;
    size_t shown;
    size_t held; /* consumed, not yet stored (batched variants) */
    /* committed, unconsumed bytes in order (a ring of cap + 1) */
    unsigned char *q;
    size_t q_head, q_len;
    unsigned char *live; /* live[i]: storage byte i holds an unconsumed byte */
    unsigned char next;  /* the next byte value a reservation is filled with */
    int ready;           /* b initialised (bipbuf_fini before the next init) */
} model;

static void model_open(model *m, bipbuf *b, unsigned char *mem, size_t cap) {
    memset(m, 0, sizeof *m);
    m->b = b;
    m->mem = mem;
    m->cap = cap;
    m->max = cap / 2;
    m->q = calloc(cap + 1, 1);
    m->live = calloc(cap, 1);
    if (m->q == NULL || m->live == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(EXIT_FAILURE);
    }
}

/* Initialise the buffer again and forget everything. */
static void model_reset(model *m) {
    unsigned char *q = m->q, *live = m->live;
    if (m->ready)
        bipbuf_fini(m->b); /* the eventfd variants' descriptors */
    if (CHECK_INT(bipbuf_init(m->b, m->mem, m->cap), ==, 0))
        check_bail();
    memset(live, 0, m->cap);
    *m = (model){.b = m->b,
                 .mem = m->mem,
                 .cap = m->cap,
                 .max = m->max,
                 .q = q,
                 .live = live,
                 .next = m->next,
                 .ready = 1};
}

static void model_close(model *m) {
    if (m->ready)
        bipbuf_fini(m->b);
    m->ready = 0;
    free(m->q);
    free(m->live);
}

/* Where the design puts a reservation of len: its offset, or -1 for -EAGAIN. */
static long model_place(const model *m, size_t len) {
    if (m->w >= m->r) {
        if (m->cap - m->w >= len)
            return (long)m->w;
        if (m->r > len)
            return 0;
        return -1;
    }
    return m->r - m->w - 1 >= len ? (long)m->w : -1;
}

/* What bipbuf_try_reserve must answer, and where. */
static int model_expect_reserve(const model *m, size_t len, int null_out, long *at) {
    *at = -1;
    if (null_out || len == 0 || len > m->max)
        return -EINVAL;
    if (m->open)
        return -EBUSY;
    *at = model_place(m, len);
    return *at < 0 ? -EAGAIN : 0;
}

/*
 * Reserve len bytes (blocking: with bipbuf_reserve, only where the model says
 * it cannot wait forever) and check the answer; on success fill the region
 * with fresh bytes. Returns the error code.
 */
static int m_reserve(model *m, size_t len, int blocking, int null_out) {
    long at;
    int want = model_expect_reserve(m, len, null_out, &at), rc;
    void *p = NULL;
    size_t i;
    if (blocking && want == -EAGAIN)
        blocking = 0; /* it would wait for a consumer that is us */
    n_claims = 0;
    if (blocking)
        rc = bipbuf_reserve(m->b, len, null_out ? NULL : &p);
    else
        rc = bipbuf_try_reserve(m->b, len, null_out ? NULL : &p);
    if (CHECK_INT(rc, ==, want)) {
        fprintf(stderr, "  reserve(%zu) cap %zu w %zu r %zu last %zu open %d\n", len, m->cap, m->w,
                m->r, m->last, m->open);
        check_bail();
    }
    if (rc != 0)
        return rc;
    if (CHECK_PTR(p, ==, m->mem + at)) {
        fprintf(stderr, "  reserve(%zu) cap %zu w %zu r %zu last %zu\n", len, m->cap, m->w, m->r,
                m->last);
        check_bail();
    }
    CHECK_SIZE((size_t)at + len, <=, m->cap);
    CHECK_SIZE(n_claims, <=, MAX_CLAIMS);
    for (i = 0; i < n_claims && i < MAX_CLAIMS; i++) {
        /* A whole line of the storage, holding no byte the consumer may
         * still read: claiming it must not take a line from under it. */
        const unsigned char *c = claims[i];
        size_t k;
        CHECK_SIZE((uintptr_t)c % BIPBUF__LINE_SIZE, ==, 0);
        if (CHECK(c >= m->mem && c + BIPBUF__LINE_SIZE <= m->mem + m->cap))
            check_bail();
        for (k = 0; k < BIPBUF__LINE_SIZE; k++) {
            if (m->live[c - m->mem + k]) {
                fprintf(stderr,
                        "  reserve(%zu) at %ld claimed the line at %zu; byte %zu is unread\n", len,
                        at, (size_t)(c - m->mem), (size_t)(c - m->mem) + k);
                CHECK(!"claimed a line holding unconsumed bytes");
                check_bail();
            }
        }
    }
    for (i = 0; i < len; i++) {
        if (m->live[at + i]) {
            CHECK(!"reservation overlaps unconsumed bytes");
            check_bail();
        }
        ((unsigned char *)p)[i] = m->next++;
    }
    m->open = 1;
    m->open_start = (size_t)at;
    m->open_len = len;
    return 0;
}

static int m_commit(model *m, size_t len) {
    int want = (!m->open || len > m->open_len) ? -EINVAL : 0, rc;
    size_t i, start = m->open_start;
    n_demotes = 0;
    rc = bipbuf_commit(m->b, len);
    if (CHECK_INT(rc, ==, want))
        check_bail();
    check_demotes(m->mem, start, rc == 0 ? start + len : start, "commit");
    if (rc != 0)
        return rc;
    m->open = 0;
    if (len == 0)
        return 0;
    for (i = 0; i < len; i++) {
        m->q[(m->q_head + m->q_len) % (m->cap + 1)] = m->mem[start + i];
        m->q_len++;
        m->live[start + i] = 1;
    }
    CHECK_SIZE(m->q_len, <=, m->cap);
    if (start != m->w)
        m->last = m->w;
    m->w = start + len;
    if (m->w > m->last)
        m->last = m->w;
    return 0;
}

/* The shared read index holds what the model says the consumer stored. */
static void m_check_stored(const model *m, const char *after) {
    size_t r = BIPBUF__ALOAD(&m->b->read, BIPBUF__MO_RELAXED);
    if (CHECK_SIZE(r, ==, m->r)) {
        fprintf(stderr, "  after %s: cap %zu rc %zu w %zu held %zu shown %zu (publish %d)\n", after,
                m->cap, m->rc, m->w, m->held, m->shown, (int)BIPBUF__PUBLISH);
        check_bail();
    }
}

/* Peek with `want` and check position, length and bytes. Returns the count. */
static size_t m_peek(model *m, size_t want) {
    size_t pos = m->rc, full, n, i;
    void *p = (void *)m; /* anything non-NULL: peek must overwrite it */
    if (m->w >= m->rc) {
        full = m->w - m->rc;
    } else if (m->rc == m->last) {
        pos = 0;
        full = m->w;
    } else {
        full = m->last - m->rc;
    }
    n = bipbuf_peek(m->b, want, &p);
    /* Batched: a peek whose fresh view is short of want (any, for want 0)
     * stores what consume held back: rule (c). A cached view that shows
     * enough takes no fresh look; one that shows too little does, and then
     * shows `full`. Bytes are held back only while the last peek showed
     * more, so never at the end of a lap. */
    if (m->held != 0) {
        CHECK_SIZE(pos, ==, m->rc);
        if (want == 0 || full < want) {
            m->r = m->rc;
            m->held = 0;
        }
    }
    m_check_stored(m, "peek");
    if (full == 0 || n == 0) {
        if (CHECK_PTR(p, ==, NULL))
            check_bail();
    }
    /* A cached view may show less, but only while it shows >= want; want 0
     * is a fresh view on every variant (bipbuf.h), so it shows all. */
    if (CHECK_SIZE(n, <=, full) || CHECK(n == full || (BIPBUF_CACHED && want != 0 && n >= want))) {
        fprintf(stderr, "  peek(%zu) cap %zu rc %zu w %zu last %zu full %zu\n", want, m->cap, m->rc,
                m->w, m->last, full);
        check_bail();
    }
    m->shown = n;
    if (n == 0)
        return 0;
    if (CHECK_PTR(p, ==, m->mem + pos))
        check_bail();
    m->rc = pos;
    for (i = 0; i < n; i++) {
        if (!m->live[pos + i] || m->mem[pos + i] != m->q[(m->q_head + i) % (m->cap + 1)]) {
            CHECK(!"peek shows a byte that differs from the model");
            fprintf(stderr, "  at offset %zu of %zu (storage %zu)\n", i, n, pos + i);
            check_bail();
        }
    }
    check_passed_add(1);
    return n;
}

static int m_consume(model *m, size_t len) {
    int want = len > m->shown ? -EINVAL : 0, rc;
    size_t i;
    n_demotes = 0;
    n_reads = 0;
    rc = bipbuf_consume(m->b, len);
    if (CHECK_INT(rc, ==, want))
        check_bail();
    check_demotes(m->mem, m->rc, rc == 0 ? m->rc + len : m->rc, "consume");
    if (rc != 0 || len == 0)
        CHECK_SIZE(n_reads, ==, 0);
    CHECK_SIZE(n_reads, <=, MAX_READS);
    if (rc != 0 || len == 0)
        return rc;
    for (i = 0; i < len; i++)
        m->live[m->rc + i] = 0;
    m->q_head = (m->q_head + len) % (m->cap + 1);
    m->q_len -= len;
    for (i = 0; i < n_reads && i < MAX_READS; i++) {
        /* A whole line, ahead of the new read position, that entered the
         * window with this consume, and all of it committed and unconsumed:
         * never one the producer may still be filling. */
        const unsigned char *c = reads[i];
        size_t k, off = (size_t)(c - m->mem);
        CHECK_SIZE((uintptr_t)c % BIPBUF__LINE_SIZE, ==, 0);
        if (CHECK(c >= m->mem + m->rc + len && c < m->mem + m->rc + len + BIPBUF_READ_AHEAD &&
                  c >= m->mem + m->rc + BIPBUF_READ_AHEAD &&
                  c + BIPBUF__LINE_SIZE <= m->mem + m->cap)) {
            fprintf(stderr, "  consume(%zu) at %zu read ahead the line at %zu\n", len, m->rc, off);
            check_bail();
        }
        for (k = 0; k < BIPBUF__LINE_SIZE; k++) {
            if (!m->live[off + k]) {
                fprintf(stderr, "  consume(%zu) at %zu read ahead the line at %zu: byte %zu\n", len,
                        m->rc, off, off + k);
                CHECK(!"read ahead a line holding a byte not committed or already consumed");
                check_bail();
            }
        }
    }
    m->rc += len;
    m->shown -= len;
    /* Stored at once, or (batched) at K bytes held back (a) or at the end of
     * what the last peek showed (b). */
    m->held += len;
#if BIPBUF__PUBLISH > 0
    if (m->held >= BIPBUF__PUBLISH || m->shown == 0)
#endif
    {
        m->r = m->rc;
        m->held = 0;
    }
    m_check_stored(m, "consume");
    return 0;
}

/* Write and consume x bytes in pieces, leaving both indices at x (empty). */
static void m_drive(model *m, size_t x) {
    size_t done = 0, k = 0;
    while (done < x) {
        size_t piece = 1 + (k++ * 7) % m->max;
        if (piece > x - done)
            piece = x - done;
        if (m_reserve(m, piece, 0, 0) != 0)
            check_bail();
        m_commit(m, piece);
        CHECK_SIZE(m_peek(m, piece), ==, piece);
        m_consume(m, piece);
        done += piece;
    }
    CHECK_SIZE(m->w, ==, x);
    CHECK_SIZE(m->rc, ==, x);
}

/* Consume everything, in pieces of varying size. */
static void m_drain(model *m) {
    size_t guard = 0;
    while (m->q_len > 0) {
        size_t n = m_peek(m, 1 + guard % m->cap);
        if (CHECK_SIZE(n, >, 0) || CHECK_SIZE(++guard, <, 4 * m->cap + 8))
            check_bail();
        m_consume(m, n > 2 && guard % 3 == 0 ? n / 2 : n);
    }
    CHECK_SIZE(m_peek(m, 1), ==, 0);
}

/* An empty buffer must take max_reserve wherever its indices sit. */
static void m_check_max_reserve(model *m) {
    CHECK_SIZE(m->q_len, ==, 0);
    if (CHECK_INT(m_reserve(m, m->max, 0, 0), ==, 0)) {
        fprintf(stderr, "  max_reserve %zu refused at %zu, cap %zu\n", m->max, m->w, m->cap);
        check_bail();
    }
    m_commit(m, 0);
}

/* ---- set-up -------------------------------------------------------------- */

static void test_init(void) {
    bipbuf b;
    unsigned char s[64];
    size_t caps[] = {2, 3, 5, 7, 13, 16, 31, 64};
    size_t i;
    check_doing("init");
    CHECK_INT(bipbuf_init(NULL, s, sizeof s), ==, -EINVAL);
    CHECK_INT(bipbuf_init(&b, NULL, sizeof s), ==, -EINVAL);
    CHECK_INT(bipbuf_init(&b, s, 0), ==, -EINVAL);
    CHECK_INT(bipbuf_init(&b, s, 1), ==, -EINVAL);
    for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        CHECK_INT(bipbuf_init(&b, s, caps[i]), ==, 0);
        CHECK_SIZE(bipbuf_capacity(&b), ==, caps[i]);
        CHECK_SIZE(bipbuf_max_reserve(&b), ==, caps[i] / 2);
        bipbuf_fini(&b);
    }
    /* Storage of any alignment will do. */
    CHECK_INT(bipbuf_init(&b, s + 1, sizeof s - 1), ==, 0);
    bipbuf_fini(&b);
    bipbuf_fini(&b); /* twice is fine */
    bipbuf_fini(NULL);
}

/* bipbuf_init refuses a buffer that is not aligned to BIPBUF_ALIGN, and
 * writes nothing then. Each misaligned place lies in one aligned block of
 * twice a bipbuf's size, so an init that wrongly went ahead writes where the
 * check below sees it (and, under UBSan, is reported as misaligned). */
static void test_init_alignment(void) {
    static _Alignas(BIPBUF_ALIGN) unsigned char raw[2 * sizeof(bipbuf)];
    unsigned char s[16];
    size_t off, i;
    check_doing("init alignment");
    CHECK_SIZE(BIPBUF_ALIGN, ==, _Alignof(bipbuf));
#if BIPBUF_PAD
    CHECK_SIZE(BIPBUF_ALIGN, ==, BIPBUF_PAD);
#endif
    for (off = 0; off < BIPBUF_ALIGN; off++) {
        bipbuf *b = (bipbuf *)(void *)(raw + off);
        memset(raw, 0xa5, sizeof raw);
        if (off == 0) {
            CHECK_INT(bipbuf_init(b, s, sizeof s), ==, 0);
            CHECK_SIZE(bipbuf_capacity(b), ==, sizeof s);
            continue;
        }
        if (CHECK_INT(bipbuf_init(b, s, sizeof s), ==, -EINVAL))
            fprintf(stderr, "  a bipbuf at offset %zu from a %zu-aligned address\n", off,
                    (size_t)BIPBUF_ALIGN);
        /* The documented order: misalignment is found before the rest. */
        CHECK_INT(bipbuf_init(b, NULL, sizeof s), ==, -EINVAL);
        CHECK_INT(bipbuf_init(b, s, 1), ==, -EINVAL);
        for (i = 0; i < sizeof raw && raw[i] == 0xa5; i++)
            ;
        if (CHECK_SIZE(i, ==, sizeof raw))
            fprintf(stderr, "  a refused init at offset %zu wrote byte %zu\n", off, i);
    }
}

static void test_create(void) {
    bipbuf *b = NULL;
    void *p;
    size_t i, n;
    check_doing("create/destroy");
    CHECK_INT(bipbuf_create(NULL, 16), ==, -EINVAL);
    CHECK_INT(bipbuf_create(&b, 0), ==, -EINVAL);
    CHECK_INT(bipbuf_create(&b, 1), ==, -EINVAL);
    CHECK_INT(bipbuf_create(&b, SIZE_MAX), ==, -EINVAL);
    CHECK_INT(bipbuf_create(&b, SIZE_MAX - 64), ==, -EINVAL);
    /* Representable but far too large: the allocation fails cleanly. */
    CHECK_INT(bipbuf_create(&b, SIZE_MAX / 2), ==, -ENOMEM);
    bipbuf_destroy(NULL);

    CHECK_INT(bipbuf_create(&b, 2), ==, 0);
    CHECK_SIZE(bipbuf_capacity(b), ==, 2);
    CHECK_SIZE(bipbuf_max_reserve(b), ==, 1);
    bipbuf_destroy(b);

    /* Every byte of the storage is usable (AddressSanitizer checks bounds). */
    CHECK_INT(bipbuf_create(&b, 4113), ==, 0);
    CHECK_SIZE(bipbuf_capacity(b), ==, 4113);
    CHECK_SIZE(bipbuf_max_reserve(b), ==, 2056);
    CHECK_SIZE((uintptr_t)b % BIPBUF_ALIGN, ==, 0);
    for (i = 0; i < 3; i++) {
        n = i == 2 ? 1 : 2056;
        CHECK_INT(bipbuf_try_reserve(b, n, &p), ==, 0);
        if (i == 0) /* the storage is documented cache-line aligned */
            CHECK_SIZE((uintptr_t)p % 64, ==, 0);
        memset(p, (int)i + 1, n);
        CHECK_INT(bipbuf_commit(b, n), ==, 0);
    }
    CHECK_INT(bipbuf_try_reserve(b, 1, &p), ==, -EAGAIN); /* exactly full */
    /* No wrap happened: all three show as one contiguous run. */
    CHECK_SIZE(bipbuf_peek(b, 4113, &p), ==, 4113);
    for (i = 0; i < 4113; i++)
        if (((unsigned char *)p)[i] != (i < 2056 ? 1 : i < 4112 ? 2 : 3))
            break;
    CHECK_SIZE(i, ==, 4113);
    CHECK_INT(bipbuf_consume(b, 2056), ==, 0);
    CHECK_INT(bipbuf_consume(b, 2056), ==, 0);
    CHECK_INT(bipbuf_consume(b, 1), ==, 0);
    CHECK_SIZE(bipbuf_peek(b, 1, &p), ==, 0);
    bipbuf_destroy(b);
}

/* ---- producer ------------------------------------------------------------ */

static void test_reserve_errors(void) {
    bipbuf b;
    unsigned char s[16];
    void *p = NULL;
    check_doing("reserve errors");
    bipbuf_init(&b, s, sizeof s);
    CHECK_INT(bipbuf_try_reserve(&b, 0, &p), ==, -EINVAL);
    CHECK_INT(bipbuf_try_reserve(&b, 9, &p), ==, -EINVAL);
    CHECK_INT(bipbuf_try_reserve(&b, SIZE_MAX, &p), ==, -EINVAL);
    CHECK_INT(bipbuf_try_reserve(&b, 8, NULL), ==, -EINVAL);
    CHECK_INT(bipbuf_reserve(&b, 0, &p), ==, -EINVAL);
    CHECK_INT(bipbuf_reserve(&b, 8, NULL), ==, -EINVAL);
    CHECK_PTR(p, ==, NULL);

    CHECK_INT(bipbuf_try_reserve(&b, 8, &p), ==, 0);
    CHECK_PTR(p, ==, s);
    /* One open reservation at a time; -EINVAL is checked before -EBUSY. */
    CHECK_INT(bipbuf_try_reserve(&b, 1, &p), ==, -EBUSY);
    CHECK_INT(bipbuf_reserve(&b, 1, &p), ==, -EBUSY);
    CHECK_INT(bipbuf_try_reserve(&b, 9, &p), ==, -EINVAL);
    CHECK_INT(bipbuf_try_reserve(&b, 0, &p), ==, -EINVAL);
    CHECK_INT(bipbuf_try_reserve(&b, 1, NULL), ==, -EINVAL);
    CHECK_PTR(p, ==, s);
    CHECK_INT(bipbuf_commit(&b, 8), ==, 0);

    /* Room for 8 more, but -EBUSY comes before any question of room. */
    CHECK_INT(bipbuf_reserve(&b, 8, &p), ==, 0);
    CHECK_PTR(p, ==, s + 8);
    CHECK_INT(bipbuf_try_reserve(&b, 1, &p), ==, -EBUSY);
    CHECK_INT(bipbuf_commit(&b, 8), ==, 0);
    /* Full: 16 of 16 bytes committed (no gap needed without a wrap). */
    CHECK_INT(bipbuf_try_reserve(&b, 1, &p), ==, -EAGAIN);
    CHECK_INT(bipbuf_try_reserve(&b, 8, &p), ==, -EAGAIN);
    CHECK_INT(bipbuf_try_reserve(&b, 9, &p), ==, -EINVAL);

    /* Consume 8: the wrap needs read > len, so 7 fits at 0 and 8 does not. */
    CHECK_SIZE(bipbuf_peek(&b, 16, &p), ==, 16);
    CHECK_INT(bipbuf_consume(&b, 8), ==, 0);
#if BIPBUF__PUBLISH > 8
    /* Batched: held back while the peek's other 8 bytes are unconsumed, and
     * released by the next peek short of what it asks for. */
    CHECK_INT(bipbuf_try_reserve(&b, 7, &p), ==, -EAGAIN);
    CHECK_SIZE(bipbuf_peek(&b, 9, &p), ==, 8);
#endif
    CHECK_INT(bipbuf_try_reserve(&b, 8, &p), ==, -EAGAIN);
    CHECK_INT(bipbuf_try_reserve(&b, 7, &p), ==, 0);
    CHECK_PTR(p, ==, s);
    CHECK_INT(bipbuf_commit(&b, 7), ==, 0);
    /* Wrapped and full: write 7, read 8, one byte of gap. */
    CHECK_INT(bipbuf_try_reserve(&b, 1, &p), ==, -EAGAIN);
}

static void test_commit_errors(void) {
    bipbuf b;
    unsigned char s[16];
    void *p, *q;
    check_doing("commit errors, cancel, truncate");
    bipbuf_init(&b, s, sizeof s);
    CHECK_INT(bipbuf_commit(&b, 0), ==, -EINVAL);
    CHECK_INT(bipbuf_commit(&b, 1), ==, -EINVAL);

    CHECK_INT(bipbuf_try_reserve(&b, 5, &p), ==, 0);
    memcpy(p, "hello", 5);
    CHECK_INT(bipbuf_commit(&b, 6), ==, -EINVAL);
    CHECK_INT(bipbuf_commit(&b, SIZE_MAX), ==, -EINVAL);
    /* ...and the reservation stays open. */
    CHECK_INT(bipbuf_try_reserve(&b, 1, &q), ==, -EBUSY);
    CHECK_SIZE(bipbuf_peek(&b, 1, &q), ==, 0);
    CHECK_INT(bipbuf_commit(&b, 5), ==, 0);
    CHECK_INT(bipbuf_commit(&b, 0), ==, -EINVAL); /* closed now */
    CHECK_INT(bipbuf_commit(&b, 5), ==, -EINVAL);
    CHECK_SIZE(bipbuf_peek(&b, 5, &q), ==, 5);
    CHECK_INT(memcmp(q, "hello", 5), ==, 0);

    /* Cancel publishes nothing and the same bytes are offered again. */
    CHECK_INT(bipbuf_try_reserve(&b, 4, &p), ==, 0);
    CHECK_PTR(p, ==, s + 5);
    memset(p, 'x', 4);
    CHECK_INT(bipbuf_commit(&b, 0), ==, 0);
    CHECK_SIZE(bipbuf_peek(&b, 6, &q), ==, 5);
    CHECK_INT(bipbuf_try_reserve(&b, 3, &q), ==, 0);
    CHECK_PTR(q, ==, p);

    /* Truncate: only the first bytes are published; the next starts after. */
    memcpy(q, "abc", 3);
    CHECK_INT(bipbuf_commit(&b, 2), ==, 0);
    CHECK_SIZE(bipbuf_peek(&b, 8, &q), ==, 7);
    CHECK_INT(memcmp(q, "helloab", 7), ==, 0);
    CHECK_INT(bipbuf_try_reserve(&b, 1, &p), ==, 0);
    CHECK_PTR(p, ==, s + 7);
    CHECK_INT(bipbuf_commit(&b, 1), ==, 0);
}

/* ---- consumer ------------------------------------------------------------ */

static void test_peek_consume(void) {
    bipbuf b;
    unsigned char s[16];
    void *p = s;
    check_doing("peek and consume errors");
    bipbuf_init(&b, s, sizeof s);
    /* Empty: 0 and NULL, whatever is asked. */
    CHECK_SIZE(bipbuf_peek(&b, 1, &p), ==, 0);
    CHECK_PTR(p, ==, NULL);
    p = s;
    CHECK_SIZE(bipbuf_peek(&b, 0, &p), ==, 0);
    CHECK_PTR(p, ==, NULL);
    p = s;
    CHECK_SIZE(bipbuf_peek(&b, SIZE_MAX, &p), ==, 0);
    CHECK_PTR(p, ==, NULL);
    CHECK_INT(bipbuf_consume(&b, 1), ==, -EINVAL);
    CHECK_INT(bipbuf_consume(&b, 0), ==, 0);

    CHECK_INT(bipbuf_try_reserve(&b, 5, &p), ==, 0);
    memcpy(p, "12345", 5);
    CHECK_INT(bipbuf_commit(&b, 5), ==, 0);
    /* Nothing may be consumed that no peek has shown. */
    CHECK_INT(bipbuf_consume(&b, 1), ==, -EINVAL);
    CHECK_SIZE(bipbuf_peek(&b, 5, &p), ==, 5);
    CHECK_PTR(p, ==, s);
    CHECK_INT(bipbuf_consume(&b, 6), ==, -EINVAL);
    CHECK_INT(bipbuf_consume(&b, SIZE_MAX), ==, -EINVAL);
    CHECK_INT(bipbuf_consume(&b, 2), ==, 0);
    CHECK_INT(bipbuf_consume(&b, 4), ==, -EINVAL); /* only 3 of the shown left */
    CHECK_INT(bipbuf_consume(&b, 0), ==, 0);
    CHECK_INT(bipbuf_consume(&b, 3), ==, 0);
    CHECK_INT(bipbuf_consume(&b, 1), ==, -EINVAL);
    p = s;
    CHECK_SIZE(bipbuf_peek(&b, 1, &p), ==, 0);
    CHECK_PTR(p, ==, NULL);

    /* A peek shows what was committed since; want larger than exists. */
    CHECK_INT(bipbuf_try_reserve(&b, 3, &p), ==, 0);
    memcpy(p, "678", 3);
    CHECK_INT(bipbuf_commit(&b, 3), ==, 0);
    CHECK_SIZE(bipbuf_peek(&b, 100, &p), ==, 3);
    CHECK_PTR(p, ==, s + 5);
    CHECK_INT(memcmp(p, "678", 3), ==, 0);
    CHECK_INT(bipbuf_consume(&b, 1), ==, 0);
    /* A new peek replaces what the last one showed. */
    CHECK_SIZE(bipbuf_peek(&b, 2, &p), ==, 2);
    CHECK_PTR(p, ==, s + 6);
    CHECK_INT(bipbuf_consume(&b, 3), ==, -EINVAL);
    CHECK_INT(bipbuf_consume(&b, 2), ==, 0);
}

/* ---- boundaries ---------------------------------------------------------- */

static void test_capacity_two(void) {
    bipbuf b;
    unsigned char s[2];
    model m;
    int i;
    check_doing("capacity 2");
    model_open(&m, &b, s, 2);
    model_reset(&m);
    CHECK_SIZE(bipbuf_max_reserve(&b), ==, 1);
    CHECK_INT(m_reserve(&m, 2, 0, 0), ==, -EINVAL);
    /* One byte at a time, through many laps. */
    for (i = 0; i < 50; i++) {
        CHECK_INT(m_reserve(&m, 1, i % 2, 0), ==, 0);
        m_commit(&m, 1);
        if (i % 3 == 0) { /* two in flight when there is room */
            if (m_reserve(&m, 1, 0, 0) == 0)
                m_commit(&m, 1);
        }
        m_drain(&m);
    }
    model_close(&m);
}

static void test_tail_and_wrap(void) {
    bipbuf b;
    unsigned char s[16];
    model m;
    size_t x;
    check_doing("tail and wrap");
    model_open(&m, &b, s, 16);
    for (x = 9; x <= 16; x++) {
        size_t tail = 16 - x;
        /* Exactly the tail: stays at x, and ends exactly at cap. */
        model_reset(&m);
        m_drive(&m, x);
        if (tail > 0) {
            CHECK_INT(m_reserve(&m, tail, 0, 0), ==, 0);
            CHECK_SIZE(m.open_start, ==, x);
            m_commit(&m, tail);
            CHECK_SIZE(m.w, ==, 16);
            m_drain(&m);
        }
        /* One more than the tail wraps to 0 (read is far enough on). */
        model_reset(&m);
        m_drive(&m, x);
        if (tail + 1 <= 8 && x > tail + 1) {
            CHECK_INT(m_reserve(&m, tail + 1, 0, 0), ==, 0);
            CHECK_SIZE(m.open_start, ==, 0);
            /* Cancel a wrapped reservation: nothing moves; the tail is
             * offered again. */
            m_commit(&m, 0);
            CHECK_SIZE(m_peek(&m, 1), ==, 0);
            if (tail > 0) {
                CHECK_INT(m_reserve(&m, tail, 1, 0), ==, 0);
                CHECK_SIZE(m.open_start, ==, x);
                m_commit(&m, tail);
            }
            /* Wrap and truncate to one byte: the reader gets the old lap up
             * to the watermark, then the byte at 0. */
            CHECK_INT(m_reserve(&m, tail + 1, 0, 0), ==, 0);
            m_commit(&m, 1);
            m_drain(&m);
            m_check_max_reserve(&m);
        }
    }
    /* Truncate at the end of the tail so that the next one must wrap with
     * a watermark below cap; then cancel across the wrap. */
    model_reset(&m);
    m_drive(&m, 10);
    CHECK_INT(m_reserve(&m, 6, 0, 0), ==, 0); /* [10, 16) */
    m_commit(&m, 3);                          /* [10, 13) */
    CHECK_INT(m_reserve(&m, 4, 0, 0), ==, 0); /* 13 + 4 > 16: wrap to [0, 4) */
    CHECK_SIZE(m.open_start, ==, 0);
    m_commit(&m, 0);                          /* cancel across the wrap */
    CHECK_INT(m_reserve(&m, 3, 0, 0), ==, 0); /* fits the tail [13, 16) */
    CHECK_SIZE(m.open_start, ==, 13);
    m_commit(&m, 2);                          /* [13, 15): watermark stays 15 */
    CHECK_INT(m_reserve(&m, 2, 0, 0), ==, 0); /* [0, 2): wrap at watermark 15 */
    CHECK_SIZE(m.open_start, ==, 0);
    m_commit(&m, 2);
    CHECK_SIZE(m.last, ==, 15);
    CHECK_SIZE(m_peek(&m, 1), ==, 5); /* [10, 15) */
    m_consume(&m, 4);
    CHECK_SIZE(m_peek(&m, 1), ==, 1);
    m_consume(&m, 1);
    CHECK_SIZE(m_peek(&m, 1), ==, 2); /* now from 0 */
    CHECK_SIZE(m.rc, ==, 0);
    m_consume(&m, 1);
    m_drain(&m);
    m_check_max_reserve(&m);
    model_close(&m);
}

/* An empty buffer whose indices sit at x must grant max_reserve, for all x. */
static void test_max_reserve_everywhere(int quick) {
    static const size_t extra[] = {97, 101, 127, 128, 129, 255, 256, 1000, 1021, 4096 + 17};
    /* The cost grows with the square of the capacity: quick runs skip the
     * largest ones. */
    size_t cap, x, i, nextra = sizeof extra / sizeof extra[0] - (quick ? 3 : 0);
    check_doing("max_reserve at every position");
    for (i = 0; i < 69 + nextra; i++) {
        bipbuf b;
        unsigned char *s;
        model m;
        cap = i < 69 ? i + 2 : extra[i - 69];
        s = malloc(cap);
        if (s == NULL)
            exit(EXIT_FAILURE);
        model_open(&m, &b, s, cap);
        for (x = 0; x <= cap; x++) {
            model_reset(&m);
            m_drive(&m, x);
            m_check_max_reserve(&m);
            /* And it never waits on more. */
            CHECK_INT(bipbuf_reserve(&b, m.max + 1, &(void *){NULL}), ==, -EINVAL);
            /* Use it, and half of it again, across the wrap if that is
             * where it lands. */
            CHECK_INT(m_reserve(&m, m.max, 1, 0), ==, 0);
            m_commit(&m, m.max);
            if (m_reserve(&m, (m.max + 1) / 2, 0, 0) == 0)
                m_commit(&m, (m.max + 1) / 2);
            m_drain(&m);
            m_check_max_reserve(&m);
        }
        model_close(&m);
        free(s);
    }
}

/*
 * From every offset x of every small capacity: a message of length a, c of
 * it consumed, then a reservation of every length l (committed whole,
 * truncated or cancelled), then everything drained and max_reserve checked.
 */
static void test_exhaustive(size_t max_cap) {
    size_t cap, x, a, l, ci;
    unsigned long scenarios = 0;
    check_doing("exhaustive offsets and lengths");
    for (cap = 2; cap <= max_cap; cap++) {
        bipbuf b;
        unsigned char *s = malloc(cap);
        model m;
        if (s == NULL)
            exit(EXIT_FAILURE);
        model_open(&m, &b, s, cap);
        for (x = 0; x <= cap; x++)
            for (a = 1; a <= m.max; a++)
                for (ci = 0; ci < 3; ci++)
                    for (l = 1; l <= m.max; l++) {
                        size_t c = ci == 0 ? 0 : ci == 1 ? a / 2 : a;
                        model_reset(&m);
                        m_drive(&m, x);
                        CHECK_INT(m_reserve(&m, a, 0, 0), ==, 0);
                        m_commit(&m, a);
                        CHECK_SIZE(m_peek(&m, a), ==, a);
                        m_consume(&m, c);
                        if (m_reserve(&m, l, 0, 0) == 0)
                            m_commit(&m, l % 3 == 0 ? 0 : l % 3 == 1 ? l : (l + 1) / 2);
                        m_drain(&m);
                        m_check_max_reserve(&m);
                        scenarios++;
                    }
        model_close(&m);
        free(s);
    }
    printf("exhaustive: %lu scenarios, capacities 2..%zu\n", scenarios, max_cap);
}

/* Random operations, valid and invalid, each checked against the model. */
static void test_random_walk(size_t max_cap, unsigned long steps) {
    /* The larger ones reach past BIPBUF_CLAIM_AHEAD: lines get claimed. */
    static const size_t extra[] = {97, 128, 255, 1000, 3000, 4099};
    size_t i, ncaps = max_cap - 1 + sizeof extra / sizeof extra[0];
    unsigned long claims_before = claims_all, demotes_before = demotes_all,
                  reads_before = reads_all;
    check_doing("random walk");
    for (i = 0; i < ncaps; i++) {
        size_t cap = i < max_cap - 1 ? i + 2 : extra[i - (max_cap - 1)];
        unsigned char *s = malloc(cap);
        bipbuf b;
        model m;
        unsigned long k;
        if (s == NULL)
            exit(EXIT_FAILURE);
        model_open(&m, &b, s, cap);
        model_reset(&m);
        for (k = 0; k < steps; k++) {
            switch (rng_below(10)) {
            case 0:
            case 1: /* lengths 0..max+1, sometimes with no out pointer */
                m_reserve(&m, rng_below(m.max + 2), 0, rng_below(16) == 0);
                break;
            case 2:
                m_reserve(&m, 1 + rng_below(m.max), 1, 0);
                break;
            case 3:
            case 4: /* whole, truncated, cancelled, or too long */
                m_commit(&m, m.open ? rng_below(m.open_len + 2) : rng_below(3));
                break;
            case 5:
            case 6:
                m_peek(&m, rng_below(m.max + 2));
                break;
            case 7:
            case 8:
                m_consume(&m, rng_below(m.shown + 2));
                break;
            default:
                if (m.q_len == 0 && !m.open)
                    m_check_max_reserve(&m);
                break;
            }
        }
        if (m.open)
            m_commit(&m, m.open_len);
        m_drain(&m);
        m_check_max_reserve(&m);
        model_close(&m);
        free(s);
    }
    /* Otherwise the claim checks in m_reserve would have checked nothing. */
    if (BIPBUF_CLAIM_AHEAD > 0)
        CHECK(claims_all > claims_before);
    /* Likewise the demote checks in m_commit and m_consume, and the checks
     * of lines read ahead in m_consume. */
    if (BIPBUF_CLDEMOTE)
        CHECK(demotes_all > demotes_before);
    if (BIPBUF_READ_AHEAD > 0)
        CHECK(reads_all > reads_before);
}

/* bipbuf_reserve must answer at once for lengths that can never fit. */
static void test_reserve_never_blocks(void) {
    bipbuf b;
    unsigned char s[33];
    model m;
    void *p;
    check_doing("reserve on impossible lengths (would hang if it waited)");
    model_open(&m, &b, s, sizeof s);
    model_reset(&m);
    /* Empty, indices mid-way: 17 could never be granted here. */
    m_drive(&m, 17);
    CHECK_INT(bipbuf_reserve(&b, 17, &p), ==, -EINVAL);
    CHECK_INT(bipbuf_reserve(&b, SIZE_MAX, &p), ==, -EINVAL);
    /* Full: still at once. */
    while (m_reserve(&m, 1, 0, 0) == 0)
        m_commit(&m, 1);
    CHECK_INT(bipbuf_reserve(&b, 17, &p), ==, -EINVAL);
    CHECK_INT(bipbuf_reserve(&b, 0, &p), ==, -EINVAL);
    m_drain(&m);
    model_close(&m);
}

/* ---- the waiting path of bipbuf_reserve ----------------------------------- */

static void *drain_later(void *arg) {
    bipbuf *b = arg;
    struct timespec ts = {0, 20 * 1000 * 1000};
    void *p;
    size_t n;
    unsigned spins = 0;
    nanosleep(&ts, NULL);
    while ((n = bipbuf_peek(b, 64, &p)) < 64) {
        if (++spins > 100)
            sched_yield();
        else
            bipbuf_relax();
    }
    bipbuf_consume(b, n);
    return NULL;
}

static void test_reserve_waits(void) {
    bipbuf *b;
    void *p;
    pthread_t t;
    check_doing("bipbuf_reserve waiting for the consumer");
    CHECK_INT(bipbuf_create(&b, 64), ==, 0);
    CHECK_INT(bipbuf_reserve(b, 32, &p), ==, 0);
    CHECK_INT(bipbuf_commit(b, 32), ==, 0);
    CHECK_INT(bipbuf_reserve(b, 32, &p), ==, 0);
    CHECK_INT(bipbuf_commit(b, 32), ==, 0);
    CHECK_INT(bipbuf_try_reserve(b, 32, &p), ==, -EAGAIN);
    if (CHECK_INT(pthread_create(&t, NULL, drain_later, b), ==, 0))
        return;
    CHECK_INT(bipbuf_reserve(b, 32, &p), ==, 0); /* waits ~20 ms */
    CHECK_INT(bipbuf_commit(b, 32), ==, 0);
    pthread_join(t, NULL);
    bipbuf_destroy(b);
}

/* ---- placement and layout ------------------------------------------------- */

static bipbuf static_buf;
static unsigned char static_storage[257];

static void roundtrip(bipbuf *b, unsigned char *s, size_t cap, const char *where) {
    model m;
    int i;
    check_doing(where);
    model_open(&m, b, s, cap);
    model_reset(&m);
#if BIPBUF_PAD
    CHECK_SIZE((uintptr_t)b % BIPBUF_PAD, ==, 0);
#endif
    for (i = 0; i < 200; i++) {
        if (m_reserve(&m, 1 + rng_below(m.max), 0, 0) == 0)
            m_commit(&m, m.open_len);
        if (i % 3 == 0)
            m_drain(&m);
    }
    m_drain(&m);
    model_close(&m);
}

/* Put `len` bytes of value v into b (the caller knows they fit). */
static void put(bipbuf *b, size_t len, unsigned char v) {
    void *p;
    if (CHECK_INT(bipbuf_try_reserve(b, len, &p), ==, 0))
        check_bail();
    memset(p, v, len);
    CHECK_INT(bipbuf_commit(b, len), ==, 0);
}

static void *commit_later(void *arg) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    put(arg, 32, 7);
    return NULL;
}

static void test_peek_wait(void) {
    bipbuf *b;
    void *p;
    pthread_t t;
    size_t n;
    check_doing("bipbuf_peek_wait");
    CHECK_INT(bipbuf_create(&b, 64), ==, 0);
    /* Enough data: returned with or without a lag, lag above what is there
     * included (one pause, then what there is). */
    put(b, 10, 1);
    CHECK_SIZE(bipbuf_peek_wait(b, 10, 0, &p), ==, 10);
    CHECK_INT(*(unsigned char *)p, ==, 1);
    CHECK_SIZE(bipbuf_peek_wait(b, 1, 1000, &p), ==, 10);
    CHECK_INT(bipbuf_consume(b, 11), ==, -EINVAL); /* only what it showed */
    CHECK_INT(bipbuf_consume(b, 4), ==, 0);
    /* A view left over from the last call, used as it is. */
    CHECK_SIZE(bipbuf_peek_wait(b, 6, 512, &p), ==, 6);
    CHECK_INT(bipbuf_consume(b, 6), ==, 0);
    /* A view that ends at the watermark, then the data past the wrap:
     * [30, 60) unread, then 25 bytes at 0 (last = 60). */
    put(b, 20, 2);
    CHECK_SIZE(bipbuf_peek_wait(b, 20, 0, &p), ==, 20);
    CHECK_INT(bipbuf_consume(b, 20), ==, 0); /* read = 30 */
    put(b, 30, 3);
    put(b, 25, 4);
    n = bipbuf_peek_wait(b, 1, 1000, &p);
    CHECK_SIZE(n, ==, 30);
    CHECK_INT(*(unsigned char *)p, ==, 3);
    CHECK_INT(bipbuf_consume(b, n), ==, 0);
    CHECK_SIZE(bipbuf_peek_wait(b, 25, 512, &p), ==, 25);
    CHECK_INT(*(unsigned char *)p, ==, 4);
    CHECK_INT(bipbuf_consume(b, 25), ==, 0);
    /* Waiting for a producer on another thread. */
    if (CHECK_INT(pthread_create(&t, NULL, commit_later, b), ==, 0))
        return;
    n = bipbuf_peek_wait(b, 32, 512, &p); /* waits ~20 ms */
    pthread_join(t, NULL);
    CHECK_SIZE(n, >=, 32);
    CHECK_INT(*(unsigned char *)p, ==, 7);
    bipbuf_destroy(b);
}

static void *close_producer_later(void *arg) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    bipbuf_close_producer(arg);
    return NULL;
}

static void *close_consumer_later(void *arg) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    bipbuf_close_consumer(arg);
    return NULL;
}

/* End of stream: what was committed is drained, then the consumer's wait
 * returns short (0 at the end); a producer whose consumer closed gets
 * -EPIPE instead of waiting; a wait under way when the peer closes ends. */
static void test_close(void) {
    bipbuf *b;
    void *p;
    pthread_t t;
    check_doing("bipbuf_close_producer/_consumer");
    CHECK_INT(bipbuf_create(&b, 64), ==, 0);
    CHECK_INT(bipbuf_closed(b), ==, 0);
    put(b, 10, 1);
    CHECK_INT(bipbuf_reserve(b, 5, &p), ==, 0); /* open, never committed */
    bipbuf_close_producer(b);
    bipbuf_close_producer(b); /* twice: harmless */
    CHECK_INT(bipbuf_closed(b), ==, BIPBUF_CLOSED_PRODUCER);
    /* The 10 committed bytes, whole, then fewer than want, then nothing. */
    CHECK_SIZE(bipbuf_peek_wait(b, 10, 0, &p), ==, 10);
    CHECK_INT(bipbuf_consume(b, 4), ==, 0);
    CHECK_SIZE(bipbuf_peek_wait(b, 20, 0, &p), ==, 6);
    CHECK_INT(*(unsigned char *)p, ==, 1);
    CHECK_INT(bipbuf_consume(b, 6), ==, 0);
    CHECK_SIZE(bipbuf_peek_wait(b, 1, 512, &p), ==, 0);
    CHECK(p == NULL);
    CHECK_SIZE(bipbuf_peek_wait(b, 0, 0, &p), ==, 0);
    bipbuf_destroy(b);

    /* A consumer already waiting when the producer closes. */
    CHECK_INT(bipbuf_create(&b, 64), ==, 0);
    if (CHECK_INT(pthread_create(&t, NULL, close_producer_later, b), ==, 0))
        return;
    CHECK_SIZE(bipbuf_peek_wait(b, 8, 0, &p), ==, 0); /* waits ~20 ms */
    pthread_join(t, NULL);
    CHECK_INT(bipbuf_closed(b), ==, BIPBUF_CLOSED_PRODUCER);
    bipbuf_destroy(b);

    /* The consumer closes: a full buffer's reserve gets -EPIPE; one that
     * fits still succeeds; try_reserve does not look. */
    CHECK_INT(bipbuf_create(&b, 64), ==, 0);
    put(b, 32, 2);
    bipbuf_close_consumer(b);
    CHECK_INT(bipbuf_closed(b), ==, BIPBUF_CLOSED_CONSUMER);
    CHECK_INT(bipbuf_reserve(b, 16, &p), ==, 0);
    CHECK_INT(bipbuf_commit(b, 16), ==, 0);
    CHECK_INT(bipbuf_reserve(b, 32, &p), ==, -EPIPE);
    CHECK_INT(bipbuf_try_reserve(b, 32, &p), ==, -EAGAIN);
    CHECK_INT(bipbuf_reserve(b, 33, &p), ==, -EINVAL); /* errors keep their order */
    bipbuf_destroy(b);

    /* A producer already waiting when the consumer closes. */
    CHECK_INT(bipbuf_create(&b, 64), ==, 0);
    put(b, 32, 3);
    put(b, 32, 3);
    if (CHECK_INT(pthread_create(&t, NULL, close_consumer_later, b), ==, 0))
        return;
    CHECK_INT(bipbuf_reserve(b, 32, &p), ==, -EPIPE); /* waits ~20 ms */
    pthread_join(t, NULL);
    CHECK_INT(bipbuf_closed(b), ==, BIPBUF_CLOSED_CONSUMER);
    bipbuf_close_producer(b);
    CHECK_INT(bipbuf_closed(b), ==, BIPBUF_CLOSED_PRODUCER | BIPBUF_CLOSED_CONSUMER);
    bipbuf_destroy(b);
}

static int64_t mono_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A watchdog for the waits below: far longer than the ~20 ms each waits, so
 * that a lost wake-up (a sleeper nobody wakes) fails instead of hanging. */
#define WATCHDOG_NS ((int64_t)10 * 1000 * 1000 * 1000)

/*
 * The sleeping waits' API, on every variant (the spin ones included: their
 * timed waits spin to the limit): bad input, time limits, wakes by a commit,
 * a consume and either close, with no spin budget (the first wait sleeps)
 * and with the default one; the eventfd variants' descriptor.
 */
static void test_sleeping(void) {
    bipbuf *b;
    void *p;
    pthread_t t;
    size_t n = 99;
    int64_t t0, spins[] = {0, BIPBUF_SPIN_NS_DEFAULT};
    int kind;
    check_doing("sleeping waits: bad input and time limits");
    CHECK_INT(bipbuf_create(&b, 64), ==, 0);
    kind = bipbuf_wake_kind(b);
#if BIPBUF_WAKE == BIPBUF_WAKE_ASYM
    /* Fence is the documented fallback where membarrier is refused. */
    CHECK(kind == BIPBUF_WAKE_ASYM || kind == BIPBUF_WAKE_FENCE);
#else
    CHECK_INT(kind, ==, BIPBUF_WAKE);
#endif
    CHECK_INT(bipbuf_set_spin(b, -1), ==, -EINVAL);
    CHECK_INT(bipbuf_set_spin(NULL, 0), ==, -EINVAL);
    CHECK_INT(bipbuf_set_spin(b, INT64_MAX), ==, 0);
    CHECK_INT(bipbuf_set_spin(b, 0), ==, 0);
    CHECK_INT(bipbuf_peek_timed(b, 1, 0, &p, &n, -1), ==, -EINVAL);
    CHECK_INT(bipbuf_peek_timed(b, 1, 0, NULL, &n, 0), ==, -EINVAL);
    CHECK_INT(bipbuf_peek_timed(b, 1, 0, &p, NULL, 0), ==, -EINVAL);
    CHECK_INT(bipbuf_reserve_timed(b, 8, &p, -1), ==, -EINVAL);
    CHECK_INT(bipbuf_reserve_timed(b, 33, &p, 0), ==, -EINVAL);
    /* Empty: nothing at once, nothing after 2 ms (and not before). */
    CHECK_INT(bipbuf_peek_timed(b, 1, 0, &p, &n, 0), ==, -ETIMEDOUT);
    CHECK_SIZE(n, ==, 0);
    t0 = mono_ns();
    CHECK_INT(bipbuf_peek_timed(b, 1, 0, &p, &n, 2000000), ==, -ETIMEDOUT);
    CHECK(mono_ns() - t0 >= 2000000);
    CHECK_SIZE(n, ==, 0);
    /* Some data, fewer than want: the view is what there is. */
    put(b, 10, 5);
    CHECK_INT(bipbuf_peek_timed(b, 20, 0, &p, &n, 1000000), ==, -ETIMEDOUT);
    CHECK_SIZE(n, ==, 10);
    CHECK_INT(bipbuf_peek_timed(b, 10, 0, &p, &n, 0), ==, 0);
    CHECK_SIZE(n, ==, 10);
    CHECK_INT(*(unsigned char *)p, ==, 5);
    CHECK_INT(bipbuf_consume(b, 10), ==, 0);
    /* Full: no room at once, none after 2 ms. A timeout too long to add to
     * the clock is no limit (not a wrap into the past). */
    put(b, 32, 6);
    put(b, 20, 6);
    CHECK_INT(bipbuf_reserve_timed(b, 32, &p, 0), ==, -ETIMEDOUT);
    t0 = mono_ns();
    CHECK_INT(bipbuf_reserve_timed(b, 32, &p, 2000000), ==, -ETIMEDOUT);
    CHECK(mono_ns() - t0 >= 2000000);
    CHECK_INT(bipbuf_reserve_timed(b, 8, &p, INT64_MAX), ==, 0);
    CHECK_INT(bipbuf_commit(b, 0), ==, 0);
    bipbuf_destroy(b);

    for (size_t i = 0; i < sizeof spins / sizeof spins[0]; i++) {
        check_doing(i == 0 ? "sleeping waits woken, spin budget 0"
                           : "sleeping waits woken, the default spin budget");
        /* A commit wakes a consumer waiting for it. */
        CHECK_INT(bipbuf_create(&b, 64), ==, 0);
        CHECK_INT(bipbuf_set_spin(b, spins[i]), ==, 0);
        if (CHECK_INT(pthread_create(&t, NULL, commit_later, b), ==, 0))
            return;
        CHECK_INT(bipbuf_peek_timed(b, 32, 0, &p, &n, WATCHDOG_NS), ==, 0);
        pthread_join(t, NULL);
        CHECK_SIZE(n, >=, 32);
        CHECK_INT(*(unsigned char *)p, ==, 7);
        /* 20 ms is past either budget: the consumer slept, and the
         * producer woke it; a spin variant does neither. */
        CHECK_SIZE(bipbuf_sleep_count(b, 0), >=, BIPBUF__SLEEPS ? 1 : 0);
        CHECK_SIZE(bipbuf_sleep_count(b, 0), <=, BIPBUF__SLEEPS ? 2 : 0);
        CHECK_SIZE(bipbuf_wake_count(b, 1), ==, BIPBUF__SLEEPS ? 1 : 0);
        CHECK_SIZE(bipbuf_sleep_count(b, 1), ==, 0);
        CHECK_SIZE(bipbuf_wake_count(b, 0), ==, 0);
        CHECK_INT(bipbuf_consume(b, n), ==, 0);
        /* A close wakes it, with nothing left. */
        if (CHECK_INT(pthread_create(&t, NULL, close_producer_later, b), ==, 0))
            return;
        CHECK_INT(bipbuf_peek_timed(b, 1, 0, &p, &n, WATCHDOG_NS), ==, -EPIPE);
        pthread_join(t, NULL);
        CHECK_SIZE(n, ==, 0);
        CHECK(p == NULL);
        bipbuf_destroy(b);
        /* A consume wakes a producer waiting for room; a close ends it. */
        CHECK_INT(bipbuf_create(&b, 64), ==, 0);
        CHECK_INT(bipbuf_set_spin(b, spins[i]), ==, 0);
        put(b, 32, 3);
        put(b, 32, 3);
        if (CHECK_INT(pthread_create(&t, NULL, drain_later, b), ==, 0))
            return;
        CHECK_INT(bipbuf_reserve_timed(b, 32, &p, WATCHDOG_NS), ==, 0);
        pthread_join(t, NULL);
        CHECK_INT(bipbuf_commit(b, 32), ==, 0);
        put(b, 31, 3); /* full again: 63 of 64 */
        if (CHECK_INT(pthread_create(&t, NULL, close_consumer_later, b), ==, 0))
            return;
        CHECK_INT(bipbuf_reserve_timed(b, 32, &p, WATCHDOG_NS), ==, -EPIPE);
        pthread_join(t, NULL);
        bipbuf_destroy(b);
    }

    check_doing("the wake descriptor (eventfd variants)");
    CHECK_INT(bipbuf_create(&b, 64), ==, 0);
#if BIPBUF_WAKE == BIPBUF_WAKE_EVENTFD
    {
        struct pollfd pf = {.fd = bipbuf_wake_fd(b), .events = POLLIN, .revents = 0};
        CHECK_INT(pf.fd, >=, 0);
        CHECK_INT(bipbuf_peek_arm(b, 1), ==, 0); /* empty: armed */
        CHECK_INT(poll(&pf, 1, 0), ==, 0);
        put(b, 4, 1); /* wakes the armed consumer */
        CHECK_INT(poll(&pf, 1, 0), ==, 1);
        CHECK_INT(bipbuf_peek_arm(b, 4), ==, 1); /* data: do not wait */
        CHECK_INT(poll(&pf, 1, 0), ==, 0);       /* and drained */
        CHECK_INT(bipbuf_peek_arm(b, 8), ==, 0); /* short of want: armed */
        put(b, 4, 2);
        CHECK_INT(poll(&pf, 1, 0), ==, 1);
        CHECK_INT(bipbuf_peek_arm(b, 8), ==, 1);
        CHECK_SIZE(bipbuf_peek(b, 8, &p), ==, 8);
        CHECK_INT(bipbuf_consume(b, 8), ==, 0);
        CHECK_INT(bipbuf_peek_arm(b, 1), ==, 0);
        bipbuf_close_producer(b); /* a close wakes it too */
        CHECK_INT(poll(&pf, 1, 0), ==, 1);
        CHECK_INT(bipbuf_peek_arm(b, 1), ==, 1);
    }
#else
    CHECK_INT(bipbuf_wake_fd(b), ==, -ENOTSUP);
    CHECK_INT(bipbuf_peek_arm(b, 1), ==, -ENOTSUP);
#endif
    bipbuf_destroy(b);
}

/*
 * want 0 means the same on every variant (bipbuf.h): bipbuf_peek shows a
 * fresh view, everything readable now, even where a cached view shows less
 * or nothing; bipbuf_peek_wait takes it as 1 and waits for a byte.
 */
static void test_want_zero(void) {
    bipbuf *b;
    void *p;
    pthread_t t;
    size_t n;
    check_doing("want 0");
    CHECK_INT(bipbuf_create(&b, 64), ==, 0);
    p = b;
    CHECK_SIZE(bipbuf_peek(b, 0, &p), ==, 0); /* empty: 0 and NULL */
    CHECK_PTR(p, ==, NULL);
    /* A view that shows nothing, then data behind its back. */
    put(b, 5, 1);
    CHECK_SIZE(bipbuf_peek(b, 5, &p), ==, 5);
    CHECK_INT(bipbuf_consume(b, 5), ==, 0); /* the view shows 0 now */
    put(b, 3, 2);
    CHECK_SIZE(bipbuf_peek(b, 0, &p), ==, 3);
    CHECK_PTR(p, !=, NULL);
    CHECK_INT(bipbuf_consume(b, 3), ==, 0);
    /* A view that shows some, and more committed since. */
    put(b, 4, 3);
    CHECK_SIZE(bipbuf_peek(b, 4, &p), ==, 4);
    put(b, 6, 4);
    CHECK_SIZE(bipbuf_peek(b, 0, &p), ==, 10);
    CHECK_INT(bipbuf_consume(b, 10), ==, 0);
    /* Across a wrap the view has not seen: read 48, then [48, 62) and 10
     * bytes at 0 (last 62). */
    put(b, 30, 5);
    CHECK_SIZE(bipbuf_peek(b, 30, &p), ==, 30);
    CHECK_INT(bipbuf_consume(b, 30), ==, 0);
    put(b, 14, 6);
    put(b, 10, 7);
    CHECK_SIZE(bipbuf_peek(b, 0, &p), ==, 14);
    CHECK(p != NULL && *(unsigned char *)p == 6);
    CHECK_INT(bipbuf_consume(b, 14), ==, 0);
    CHECK_SIZE(bipbuf_peek(b, 0, &p), ==, 10);
    CHECK(p != NULL && *(unsigned char *)p == 7);
    CHECK_INT(bipbuf_consume(b, 10), ==, 0);

    /* peek_wait: data the view does not show yet, with and without lag. */
    put(b, 2, 7);
    p = NULL;
    CHECK_SIZE(bipbuf_peek_wait(b, 0, 0, &p), ==, 2);
    CHECK(p != NULL && *(unsigned char *)p == 7);
    CHECK_INT(bipbuf_consume(b, 2), ==, 0);
    put(b, 3, 8);
    p = NULL;
    CHECK_SIZE(bipbuf_peek_wait(b, 0, 100, &p), ==, 3);
    CHECK(p != NULL && *(unsigned char *)p == 8);
    CHECK_INT(bipbuf_consume(b, 3), ==, 0);
    /* Nothing there: it waits for the producer, as want 1 would. */
    if (CHECK_INT(pthread_create(&t, NULL, commit_later, b), ==, 0))
        return;
    p = NULL;
    n = bipbuf_peek_wait(b, 0, 0, &p); /* waits ~20 ms */
    pthread_join(t, NULL);
    CHECK_SIZE(n, >=, 1);
    CHECK(p != NULL && *(unsigned char *)p == 7);
    bipbuf_destroy(b);
}

#if BIPBUF__PUBLISH > 1
/* Reserve 8 bytes, waiting for room, then commit them filled with 9. */
static void *reserve_8(void *arg) {
    void *p;
    if (CHECK_INT(bipbuf_reserve(arg, 8, &p), ==, 0))
        return NULL;
    memset(p, 9, 8);
    CHECK_INT(bipbuf_commit(arg, 8), ==, 0);
    return NULL;
}
#endif

/*
 * What a batched variant promises (bipbuf/impl.h, BATCHED PUBLICATION),
 * step by step, as the producer sees it: the shared read index, and room.
 * (The model checks the same rules after every call of the other tests.)
 */
static void test_batched(void) {
#if BIPBUF__PUBLISH > 1
    /* Sizes in terms of K: two messages of K + 1, the rest of the storage
     * in two pieces, and room for commit_later's 32 bytes. */
    const size_t k = BIPBUF__PUBLISH, cap = 4 * k + 72, msg = k + 1, tail = cap - 2 * msg;
    bipbuf *b;
    void *p;
    pthread_t t;
    check_doing("batched publication");
    if (CHECK_INT(bipbuf_create(&b, cap), ==, 0))
        return;
#    define STORED() BIPBUF__ALOAD(&b->read, BIPBUF__MO_RELAXED)
    put(b, msg, 1);
    put(b, msg, 2);
    CHECK_SIZE(bipbuf_peek(b, 1, &p), ==, 2 * msg);
    /* (a): held back until K bytes are consumed. */
    CHECK_INT(bipbuf_consume(b, k - 1), ==, 0);
    CHECK_SIZE(STORED(), ==, 0);
    CHECK_INT(bipbuf_consume(b, 1), ==, 0);
    CHECK_SIZE(STORED(), ==, k);
    CHECK_INT(bipbuf_consume(b, 1), ==, 0);
    CHECK_SIZE(STORED(), ==, k);
    /* A peek that shows what it is asked for stores nothing... */
    CHECK_SIZE(bipbuf_peek(b, msg, &p), ==, msg);
    CHECK_SIZE(STORED(), ==, k);
    /* ...nor does bipbuf_peek_wait when only its lag is short. */
    CHECK_SIZE(bipbuf_peek_wait(b, msg, 10 * cap, &p), ==, msg);
    CHECK_SIZE(STORED(), ==, k);
    /* (c): a peek short of what it asks for stores what is held back. */
    CHECK_SIZE(bipbuf_peek(b, msg + 1, &p), ==, msg);
    CHECK_SIZE(STORED(), ==, k + 1);
    /* (c) with want 0, which always takes a fresh view. */
    CHECK_INT(bipbuf_consume(b, 1), ==, 0);
    CHECK_SIZE(STORED(), ==, k + 1);
    CHECK_SIZE(bipbuf_peek(b, 0, &p), ==, msg - 1);
    CHECK_SIZE(STORED(), ==, k + 2);
    /* (b): the end of what the latest peek showed. */
    CHECK_INT(bipbuf_consume(b, msg - 1), ==, 0);
    CHECK_SIZE(STORED(), ==, 2 * msg);

    /* As the producer sees it: the storage filled to its end, read at
     * 2 * msg; a reservation of 2 * msg + 1 must wrap, and fits once read
     * has passed 2 * msg + 1. Two bytes consumed but held back do not
     * make that room; stored, they do. */
    put(b, tail / 2, 3);
    put(b, tail - tail / 2, 4);
    CHECK_SIZE(bipbuf_peek(b, 1, &p), ==, tail);
    CHECK_INT(bipbuf_try_reserve(b, 2 * msg + 1, &p), ==, -EAGAIN);
    CHECK_INT(bipbuf_consume(b, 2), ==, 0);
    if (k > 2)
        CHECK_INT(bipbuf_try_reserve(b, 2 * msg + 1, &p), ==, -EAGAIN);
    CHECK_SIZE(bipbuf_peek(b, tail - 1, &p), ==, tail - 2); /* (c) */
    CHECK_INT(bipbuf_try_reserve(b, 2 * msg + 1, &p), ==, 0);
    CHECK_PTR(p, ==, b->prod.buf); /* wrapped */
    CHECK_INT(bipbuf_commit(b, 0), ==, 0);
    /* Drained: everything stored, and max_reserve reservable. */
    CHECK_INT(bipbuf_consume(b, tail - 2), ==, 0);
    CHECK_SIZE(STORED(), ==, cap);
    CHECK_INT(bipbuf_try_reserve(b, bipbuf_max_reserve(b), &p), ==, 0);
    CHECK_INT(bipbuf_commit(b, 0), ==, 0);

    bipbuf_destroy(b);

    /* No deadlock: a producer waits for room that only bytes held back can
     * make, while the consumer waits for what that producer will commit
     * next to what it sees. bipbuf_peek_wait's first short look stores
     * them (c); without that, both would wait forever (the Spin model's
     * negative control). Capacity 40: [0, 24) consumed and stored, then 17
     * bytes at [0, 17) (the wrap leaves the watermark at 24), one of them
     * consumed and held back. The producer's 8 more fit only at the tail
     * [17, 25), which needs read <= 17: 24 - 17 - 1 = 6 is all it has. */
    if (CHECK_INT(bipbuf_create(&b, 40), ==, 0))
        return;
    put(b, 12, 1);
    put(b, 12, 1);
    CHECK_SIZE(bipbuf_peek(b, 24, &p), ==, 24);
    CHECK_INT(bipbuf_consume(b, 24), ==, 0);
    put(b, 17, 2);
    CHECK_SIZE(bipbuf_peek(b, 1, &p), ==, 17);
    CHECK_PTR(p, ==, b->prod.buf); /* the wrap: at 0 */
    CHECK_INT(bipbuf_consume(b, 1), ==, 0);
    CHECK_SIZE(STORED(), ==, 24);
    CHECK_INT(bipbuf_try_reserve(b, 8, &p), ==, -EAGAIN);
    if (CHECK_INT(pthread_create(&t, NULL, reserve_8, b), ==, 0))
        return;
    CHECK_SIZE(bipbuf_peek_wait(b, 24, 0, &p), ==, 24);
    pthread_join(t, NULL);
    CHECK(memcmp((unsigned char *)p + 16, "\x09\x09\x09\x09\x09\x09\x09\x09", 8) == 0);
    CHECK_SIZE(STORED(), ==, 1);
#    undef STORED
    bipbuf_destroy(b);
#endif
}

static void test_placement(void) {
    bipbuf stack_buf;
    unsigned char stack_storage[31];
    roundtrip(&static_buf, static_storage, sizeof static_storage, "static placement");
    roundtrip(&stack_buf, stack_storage, sizeof stack_storage, "stack placement");
}

static void test_layout(void) {
    check_doing("layout");
    CHECK(strcmp(BIPBUF_VARIANT_NAME, BIPBUF_TEST_VARIANT) == 0);
#if BIPBUF_PAD
    CHECK_SIZE(_Alignof(bipbuf), ==, BIPBUF_PAD);
    CHECK_SIZE(sizeof(bipbuf) % BIPBUF_PAD, ==, 0);
    /* Six blocks (three indices, two private blocks, the end-of-stream
     * words), each on its own line. */
    CHECK_SIZE(sizeof(bipbuf), >=, 6 * (size_t)BIPBUF_PAD);
#else
    /* Packed: no line alignment, and smaller than one padded index block. */
    CHECK_SIZE(_Alignof(bipbuf), <=, 16);
    CHECK_SIZE(sizeof(bipbuf), <, 5 * (size_t)64);
#endif
}

/* crate-design is the crate's design as the crate built it (BIPBUF_LEVERS=0):
 * after every test above, its producer must have claimed no line ahead, its
 * consumer read none ahead, and neither side demoted one. uncached-pad64-acqrel,
 * the same choices with the levers, claims lines in the random walk. */
static void test_no_levers(void) {
    if (strcmp(BIPBUF_TEST_VARIANT, "crate-design") != 0)
        return;
    check_doing("crate-design: no lever");
    CHECK(BIPBUF_LEVERS == 0);
    CHECK(BIPBUF_CLAIM_AHEAD == 0);
    CHECK(BIPBUF_READ_AHEAD == 0);
    CHECK(BIPBUF_PREFETCH_LINES == 0);
    CHECK(BIPBUF_CLDEMOTE == 0);
    CHECK(claims_all == 0);
    CHECK(reads_all == 0);
    CHECK(demotes_all == 0);
}

int main(int argc, char **argv) {
    size_t max_cap = argc > 1 ? (size_t)strtoul(argv[1], NULL, 0) : 40;
    if (max_cap < 2)
        max_cap = 2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    check_watchdog((unsigned)check_env_ull("BIPBUF_TEST_TIMEOUT", 240), NULL);
    printf("unit %s (%s), claiming %d bytes ahead, reading %d bytes ahead, cldemote %d (active "
           "%d)\n",
           BIPBUF_VARIANT_NAME, BIPBUF_TEST_VARIANT, BIPBUF_CLAIM_AHEAD, BIPBUF_READ_AHEAD,
           BIPBUF_CLDEMOTE, bipbuf__cldemote_active());
    (void)record_claim;  /* called only where BIPBUF_CLAIM_AHEAD > 0 */
    (void)record_demote; /* called only where BIPBUF_CLDEMOTE */
    (void)record_read;   /* called only where BIPBUF_READ_AHEAD > 0 */
    test_layout();
    test_init();
    test_init_alignment();
    test_create();
    test_reserve_errors();
    test_commit_errors();
    test_peek_consume();
    test_capacity_two();
    test_tail_and_wrap();
    test_reserve_never_blocks();
    test_reserve_waits();
    test_peek_wait();
    test_close();
    test_sleeping();
    test_want_zero();
    test_batched();
    test_placement();
    test_max_reserve_everywhere(max_cap < 40);
    test_exhaustive(max_cap);
    test_random_walk(max_cap, max_cap < 40 ? 5000 : 20000);
    test_no_levers();
    return check_summary();
}
