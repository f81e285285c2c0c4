#!/usr/bin/env python3
"""rate_table.py RATE_CSV [IDLE_CSV] - scripts/reproduce's summary of an
offered-rate run (bipbench rate): per message size and rate, each entry's
latency from the send (p50, p99), the consumer's CPU share of a core and the
queue's CPU per message, each the median of its trials; then, from IDLE_CSV,
each consumer's CPU while it waited for one message. Rows whose schedule was
not kept are marked."""

import csv
import statistics
import sys
from collections import defaultdict


def rows_of(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def med(rs, col):
    return statistics.median(float(r[col]) for r in rs)


def rate_text(r):
    for div, suf in ((1e6, "M"), (1e3, "k")):
        if r >= div:
            return f"{r / div:g}{suf}"
    return f"{r:g}"


def us(ns):
    return f"{ns / 1e3:.1f}"


def main(argv):
    if len(argv) not in (1, 2):
        sys.stderr.write("usage: rate_table.py RATE_CSV [IDLE_CSV]\n")
        return 2
    groups = defaultdict(list)
    order = []
    for r in rows_of(argv[0]):
        k = (int(r["msg_size"]), float(r["rate"]), r["variant"])
        if k not in groups:
            order.append(k)
        groups[k].append(r)
    print(f"{'entry':30s} {'bytes':>5s} {'rate/s':>8s} {'p50 us':>8s} {'p99 us':>8s} "
          f"{'consumer':>9s} {'queue ns':>9s}")
    last = None
    for k in sorted(order, key=lambda k: (k[0], k[1], order.index(k))):
        rs = groups[k]
        if last and last != k[:2]:
            print()
        last = k[:2]
        kept = "" if all(r["kept"] == "1" for r in rs) else "  (schedule not kept)"
        print(f"{k[2]:30s} {k[0]:5d} {rate_text(k[1]):>8s} {us(med(rs, 'send_p50_ns')):>8s} "
              f"{us(med(rs, 'send_p99_ns')):>8s} {100 * med(rs, 'consumer_cpu_share'):8.2f}% "
              f"{med(rs, 'queue_cpu_per_msg_ns'):9.0f}{kept}")
    if len(argv) == 2:
        print()
        print("Idle (one message after a wait):")
        for r in rows_of(argv[1]):
            secs = float(r["elapsed_ns"]) / 1e9
            print(f"  {r['variant']:30s} consumer CPU {100 * float(r['consumer_cpu_share']):.4f}% "
                  f"of a core over {secs:.1f} s ({float(r['consumer_cpu_ns']) / 1e3:.0f} us)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        sys.exit(0)
