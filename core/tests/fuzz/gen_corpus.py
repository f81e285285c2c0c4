#!/usr/bin/env python3
"""gen_corpus.py - write the seed corpus of fuzz_api.c (corpus/seed-*).

Each file is a small scenario in fuzz_api.c's input encoding: two bytes
choose the capacity (cap - 2, big-endian), then (operation, argument) byte
pairs. Run from anywhere; rewrites only the seed-* files.
"""
import os

RESERVE, COMMIT, PEEK, CONSUME, BLOCKING, DRAIN, PROBE = 0, 2, 3, 4, 5, 6, 7
NULL_OUT = 0xF0  # op byte: try_reserve with out == NULL

# argument bytes
FULL, CANCEL, TOO_MUCH = 0, 1, 2          # commit
def trunc(k): return 3 + 4 * (k % 63)          # commit k (mod reserved + 1)
WANT0, WANT1, WANT_ALL = 0, 1, 2          # peek
def want(k): return 3 + 4 * (k % 63)           # peek want k
ALL, MORE, ZERO, HUGE = 0, 1, 3, 255      # consume
def part(k): return 2 + 4 * (k % 63)            # consume k (mod shown + 1)
LEN0, OVER, OVERFLOW = 0, 254, 255        # reserve: 0, max + 1, SIZE_MAX


def scenario(cap, ops):
    out = bytearray([(cap - 2) >> 8, (cap - 2) & 0xFF])
    for op, arg in ops:
        out += bytes([op, arg])
    return bytes(out)


def errors():
    return scenario(8, [
        (RESERVE, LEN0), (RESERVE, OVER), (RESERVE, OVERFLOW), (NULL_OUT, 2),
        (COMMIT, FULL), (CONSUME, MORE), (RESERVE, 3), (RESERVE, 2), (NULL_OUT, 1),
        (COMMIT, TOO_MUCH), (COMMIT, trunc(2)), (COMMIT, FULL), (PEEK, WANT1),
        (CONSUME, MORE), (CONSUME, ZERO), (CONSUME, HUGE), (CONSUME, part(1)),
        (CONSUME, ALL), (CONSUME, part(1)), (PEEK, WANT_ALL), (PROBE, 4)])


def wraps(cap, n, step, eat):
    ops = []
    for i in range(40):
        ops += [(RESERVE, n), (COMMIT, FULL if i % 3 else trunc(n - 1)), (PEEK, WANT1),
                (CONSUME, part(eat)), (RESERVE, step), (COMMIT, CANCEL if i % 4 == 0 else FULL),
                (PEEK, want(step)), (CONSUME, part(step))]
        if i % 7 == 6:
            ops += [(DRAIN, 0), (PROBE, i)]
    return scenario(cap, ops)


def tiny():
    ops = []
    for i in range(30):
        ops += [(RESERVE, 1), (RESERVE, 1), (COMMIT, FULL), (RESERVE, 1), (PEEK, WANT0),
                (PEEK, WANT1), (CONSUME, ALL), (COMMIT, FULL if i % 2 else CANCEL)]
    return scenario(2, ops)


def big():
    ops = []
    for i in range(60):
        n = 1 + (i * 37) % 150
        ops += [(BLOCKING, n), (COMMIT, trunc((i * 11) % 151)), (PEEK, want((i * 5) % 60)),
                (CONSUME, part((i * 13) % 63))]
    return scenario(300, ops + [(DRAIN, 0), (PROBE, 149)])


def probes(cap):
    # Leave the indices at every offset, then ask for each length up to max.
    ops = []
    for i in range(cap + 2):
        ops += [(RESERVE, 1), (COMMIT, FULL), (DRAIN, 0), (PROBE, i)]
    return scenario(cap, ops)


def cached_views():
    ops = []
    for i in range(25):
        ops += [(RESERVE, 5), (COMMIT, FULL), (PEEK, want(3)), (RESERVE, 4), (COMMIT, FULL),
                (PEEK, WANT0), (PEEK, want(6)), (CONSUME, part(2)), (PEEK, WANT_ALL),
                (CONSUME, ALL), (PEEK, WANT_ALL), (CONSUME, MORE)]
    return scenario(16, ops)


SEEDS = {
    "seed-errors": errors(),
    "seed-wrap-cap7": wraps(7, 3, 2, 2),
    "seed-wrap-cap10": wraps(10, 5, 4, 3),
    "seed-cap2": tiny(),
    "seed-cap300": big(),
    "seed-probe-cap9": probes(9),
    "seed-probe-cap12": probes(12),
    "seed-cached-views": cached_views(),
}

if __name__ == "__main__":
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(here, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(here, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(SEEDS)} seeds to {here}")
