/*
 * fuzz_api.c - the whole public API on one thread, driven by fuzzer bytes,
 * checked call by call against a plain reference model of a byte queue.
 *
 * Input: two bytes pick the capacity (2..300); then pairs of (operation,
 * argument) bytes pick the calls: try_reserve/reserve of any length (0 and
 * more than max_reserve included, with a NULL `out` now and then), commits
 * that publish all, part or none of the reservation or more than it (or with
 * none open), peeks with any `want`, consumes of any length.
 *
 * The model knows, independently of the buffer's private state:
 *   - the unconsumed bytes, in order, each with its value and its offset in
 *     the array (from the pointer try_reserve handed out);
 *   - W, the offset just after the last committed byte (0 at first), and R,
 *     the offset just after the last consumed byte (0 at first): what the
 *     shared write and read indices must hold; on a batched variant
 *     (-batchK) the read index holds S instead, what the consumer has
 *     stored so far (bipbuf/impl.h, BATCHED PUBLICATION), and reservations
 *     are placed by S;
 *   - the open reservation, and what the latest peek showed.
 * From these it says, for every call, whether it must succeed and with
 * which error it must fail, where a reservation must start, how many bytes
 * a peek may show and what they hold. Every value ever written is checked
 * where it is read, and after every call every unconsumed byte is checked in
 * place, so a reservation that overlapped unread data is caught even if the
 * placement rule below were wrong in the same way as the buffer.
 *
 * Built for the default variant (cached), an uncached one (-DBIPBUF_CACHED=0
 * ...) and batched ones; the few places where a cached view may answer
 * differently are marked. Used by libFuzzer, and by replay.c, which runs the
 * committed corpus with any C compiler.
 */
#include "bipbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAP 300

struct model {
    size_t cap, max_reserve;
    /* Unconsumed bytes, oldest first. */
    size_t n;
    size_t off[MAX_CAP];
    unsigned char val[MAX_CAP];
    unsigned char busy[MAX_CAP]; /* busy[o]: offset o holds an unconsumed byte */
    size_t w, r;                 /* true write and read indices */
    size_t s, held;              /* read as stored, and bytes held back (batched) */
    int open;                    /* a reservation is open */
    size_t resv_start, resv_len;
    unsigned char resv_val[MAX_CAP];
    size_t shown; /* what peek showed, less what was consumed since */
    uint32_t seq; /* payload pattern counter */
};

static bipbuf b;
static struct model m;
static unsigned char *storage;
static size_t op_index;
static const char *op_name;

static void fail(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "fuzz_api [%s]: op %zu (%s), cap %zu, W %zu, R %zu, %zu unconsumed: ",
            BIPBUF_VARIANT_NAME, op_index, op_name, m.cap, m.w, m.r, m.n);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fail(__VA_ARGS__);                                                                     \
    } while (0)

/* Payload byte number i: any 256 in a row differ, and each run of 256 is
 * shifted against the one before, so a stale lap does not read as fresh. */
static unsigned char pattern(uint32_t i) {
    return (unsigned char)(i + 97u * (i >> 8));
}

/*
 * Where a reservation of `len` must start, or -1 if there is no room now.
 * The rule of the design, stated on the true indices: the producer owns
 * everything from W up to the reader, less one byte so that W == R keeps
 * meaning "empty". Not wrapped (W >= R): the tail [W, cap) if long enough,
 * else the front [0, R - 1). Wrapped (W < R): [W, R - 1) only. The reader,
 * as the producer knows it, is the read index as stored: R, or S on a
 * batched variant.
 */
static long model_place(size_t len) {
    size_t r = BIPBUF__PUBLISH ? m.s : m.r;
    if (m.w >= r) {
        if (m.cap - m.w >= len)
            return (long)m.w;
        if (r >= len + 1)
            return 0;
        return -1;
    }
    if (r - m.w >= len + 1)
        return (long)m.w;
    return -1;
}

/* The shared read index holds what the model says was stored. */
static void check_stored(void) {
    size_t r = BIPBUF__ALOAD(&b.read, BIPBUF__MO_RELAXED);
    CHECK(r == (BIPBUF__PUBLISH ? m.s : m.r), "read index %zu, model says %zu (held %zu)", r,
          BIPBUF__PUBLISH ? m.s : m.r, m.held);
}

/* Contiguous unconsumed bytes from the oldest: what a fresh peek shows. */
static size_t model_run(void) {
    size_t k = 0;
    while (k < m.n && m.off[k] == m.off[0] + k)
        k++;
    return k;
}

/* Every unconsumed byte still holds what was written there. */
static void check_intact(void) {
    for (size_t i = 0; i < m.n; i++)
        CHECK(storage[m.off[i]] == m.val[i],
              "unconsumed byte %zu of %zu at offset %zu was overwritten (0x%02x, want 0x%02x)", i,
              m.n, m.off[i], storage[m.off[i]], m.val[i]);
}

static size_t reserve_len(unsigned a) {
    if (a == 255)
        return SIZE_MAX;
    if (a == 254)
        return m.max_reserve + 1;
    if (a == 253)
        return m.max_reserve;
    if (a == 0)
        return 0;
    return 1 + (a - 1) % (m.max_reserve + 1);
}

/* try_reserve (or, when it cannot wait forever, reserve) against the model. */
static void do_reserve(size_t len, int null_out, int blocking) {
    void *p = NULL;
    int want_rc;
    long at = -1;
    if (null_out || len == 0 || len > m.max_reserve) {
        want_rc = -EINVAL;
    } else if (m.open) {
        want_rc = -EBUSY;
    } else {
        at = model_place(len);
        want_rc = at < 0 ? -EAGAIN : 0;
        /* Liveness: with nothing unconsumed every len <= max_reserve fits. */
        CHECK(m.n != 0 || at >= 0, "model: empty buffer refuses len %zu <= max_reserve", len);
    }
    if (blocking && want_rc == -EAGAIN)
        blocking = 0; /* one thread: bipbuf_reserve would wait forever */
    op_name = blocking ? "reserve" : "try_reserve";
    int rc = blocking ? bipbuf_reserve(&b, len, null_out ? NULL : &p)
                      : bipbuf_try_reserve(&b, len, null_out ? NULL : &p);
    CHECK(rc == want_rc, "len %zu%s: rc %d, model says %d", len, null_out ? " out=NULL" : "", rc,
          want_rc);
    if (rc != 0)
        return;
    size_t start = (size_t)((unsigned char *)p - storage);
    CHECK((unsigned char *)p >= storage && start == (size_t)at,
          "len %zu: region at offset %td, model says %ld", len, (unsigned char *)p - storage, at);
    /* Independent of the rule above: the region lies in the array and
     * covers no unconsumed byte. */
    CHECK(start + len <= m.cap, "len %zu at %zu runs past the end", len, start);
    for (size_t i = 0; i < len; i++)
        CHECK(!m.busy[start + i], "len %zu at %zu covers unconsumed offset %zu", len, start,
              start + i);
    for (size_t i = 0; i < len; i++) {
        m.resv_val[i] = pattern(m.seq++);
        storage[start + i] = m.resv_val[i];
    }
    m.open = 1;
    m.resv_start = start;
    m.resv_len = len;
}

static void do_commit(unsigned a) {
    size_t len;
    switch (a % 4) {
    case 0:
        len = m.open ? m.resv_len : 1;
        break;
    case 1:
        len = 0;
        break;
    case 2:
        len = a == 254 ? SIZE_MAX : m.resv_len + 1 + (a >> 2) % 3;
        break;
    default:
        len = (a >> 2) % (m.resv_len + 1);
        break;
    }
    int want_rc = (!m.open || len > m.resv_len) ? -EINVAL : 0;
    op_name = "commit";
    int rc = bipbuf_commit(&b, len);
    CHECK(rc == want_rc, "len %zu (reserved %zu, open %d): rc %d, model says %d", len, m.resv_len,
          m.open, rc, want_rc);
    if (rc != 0)
        return;
    m.open = 0;
    for (size_t i = 0; i < len; i++) {
        size_t o = m.resv_start + i;
        m.off[m.n] = o;
        m.val[m.n] = m.resv_val[i];
        m.busy[o] = 1;
        m.n++;
    }
    if (len)
        m.w = m.resv_start + len;
}

static void do_peek(unsigned a) {
    size_t want;
    switch (a % 4) {
    case 0:
        want = 0;
        break;
    case 1:
        want = 1;
        break;
    case 2:
        want = SIZE_MAX;
        break;
    default:
        want = (a >> 2) % (m.cap + 1);
        break;
    }
    void *p = (void *)1;
    op_name = "peek";
    size_t got = bipbuf_peek(&b, want, &p);
    size_t run = model_run();
    /* Batched: a fresh view short of want (any, with want 0) stores what
     * consume held back (c); a cached view that shows enough takes no fresh
     * look, one that shows too little does and shows `run`. */
    if (m.held && (want == 0 || run < want)) {
        m.s = m.r;
        m.held = 0;
    }
    check_stored();
    if (BIPBUF_CACHED && want != 0) {
        /* A cached view may show less than there is, but only while it
         * shows at least `want`; otherwise it refreshes and shows all.
         * want 0 always refreshes (bipbuf.h), as on uncached variants. */
        CHECK(got == run || (got < run && got >= want),
              "want %zu: showed %zu, %zu readable (cached view)", want, got, run);
    } else {
        CHECK(got == run, "want %zu: showed %zu, %zu readable", want, got, run);
    }
    CHECK((got == 0) == (p == NULL), "showed %zu with data %p", got, p);
    if (got) {
        CHECK((unsigned char *)p == storage + m.off[0], "data at offset %td, oldest byte at %zu",
              (unsigned char *)p - storage, m.off[0]);
        for (size_t i = 0; i < got; i++)
            CHECK(((unsigned char *)p)[i] == m.val[i],
                  "byte %zu of %zu reads 0x%02x, written 0x%02x", i, got, ((unsigned char *)p)[i],
                  m.val[i]);
    }
    m.shown = got;
}

static void do_consume(unsigned a) {
    size_t len;
    if (a == 255)
        len = SIZE_MAX;
    else if (a % 4 == 0)
        len = m.shown;
    else if (a % 4 == 1)
        len = m.shown + 1 + (a >> 2) % 4;
    else if (a % 4 == 2)
        len = (a >> 2) % (m.shown + 1);
    else
        len = 0;
    int want_rc = len > m.shown ? -EINVAL : 0;
    op_name = "consume";
    int rc = bipbuf_consume(&b, len);
    CHECK(rc == want_rc, "len %zu (shown %zu): rc %d, model says %d", len, m.shown, rc, want_rc);
    if (rc != 0 || len == 0)
        return;
    for (size_t i = 0; i < len; i++)
        m.busy[m.off[i]] = 0;
    m.r = m.off[len - 1] + 1;
    memmove(m.off, m.off + len, (m.n - len) * sizeof m.off[0]);
    memmove(m.val, m.val + len, m.n - len);
    m.n -= len;
    m.shown -= len;
    /* Batched: stored at K bytes held back (a) or the end of what the last
     * peek showed (b). */
    m.held += len;
#if BIPBUF__PUBLISH > 0
    if (m.held >= BIPBUF__PUBLISH || m.shown == 0)
#endif
    {
        m.s = m.r;
        m.held = 0;
    }
    check_stored();
}

/* Consumer: peek and consume until a fresh peek shows nothing. */
static void do_drain(void) {
    for (;;) {
        do_peek(2); /* want SIZE_MAX: always a fresh view */
        if (m.shown == 0)
            break;
        do_consume(0);
    }
    CHECK(m.n == 0, "drained, yet %zu bytes unconsumed", m.n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t pos = 2;
    if (size < 2)
        return 0;
    memset(&m, 0, sizeof m);
    m.cap = 2 + (((size_t)data[0] << 8) | data[1]) % (MAX_CAP - 1);
    m.max_reserve = m.cap / 2;
    storage = malloc(m.cap); /* exactly cap bytes: the sanitizer sees overruns */
    if (storage == NULL)
        abort();
    op_index = 0;
    op_name = "init";
    CHECK(bipbuf_init(NULL, storage, m.cap) == -EINVAL, "init(NULL, ...) accepted");
    CHECK(bipbuf_init(&b, NULL, m.cap) == -EINVAL, "init(storage NULL) accepted");
    CHECK(bipbuf_init(&b, storage, 1) == -EINVAL, "init(capacity 1) accepted");
    CHECK(bipbuf_init(&b, storage, m.cap) == 0, "init failed");
    CHECK(bipbuf_capacity(&b) == m.cap, "capacity %zu", bipbuf_capacity(&b));
    CHECK(bipbuf_max_reserve(&b) == m.max_reserve, "max_reserve %zu", bipbuf_max_reserve(&b));

    while (pos < size) {
        unsigned op = data[pos++];
        unsigned a = pos < size ? data[pos++] : 0;
        op_index++;
        switch (op % 8) {
        case 0:
        case 1:
            do_reserve(reserve_len(a), op >= 0xf0, 0);
            break;
        case 2:
            do_commit(a);
            break;
        case 3:
            do_peek(a);
            break;
        case 4:
            do_consume(a);
            break;
        case 5:
            do_reserve(reserve_len(a), 0, 1);
            break;
        case 6:
            do_drain();
            break;
        default:
            /* Liveness probe: once drained, any len <= max_reserve fits. */
            if (m.open)
                do_commit(a & ~3u); /* publish it, then drain it */
            do_drain();
            do_reserve(1 + a % m.max_reserve, 0, 0);
            CHECK(m.open, "drained buffer refused %zu bytes", m.resv_len);
            do_commit(1); /* cancel: the indices stay where they were */
            break;
        }
        check_intact();
    }
    free(storage);
    return 0;
}
