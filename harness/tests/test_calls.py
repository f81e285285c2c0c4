#!/usr/bin/env python3
"""test_calls.py DRIVER_DIR - the files of bipbench's driver call one another
one way only: for no two files A and B does A call a function B defines while
B calls one A defines (the serializer reads what the commands resolved, the
resolver calls the parser's helpers, never the reverse). Functions are found
by their definitions at the start of a line, calls by name followed by "(";
a comment naming a function counts as a call, which errs on the safe side."""

import os
import re
import sys


def main(argv):
    d = argv[0]
    files = sorted(os.path.join(d, n) for n in os.listdir(d) if n.endswith(".c"))
    text = {f: open(f, encoding="utf-8").read() for f in files}
    defined = {}
    for f in files:
        for m in re.finditer(r"^[A-Za-z_][\w \*]*?\b(\w+)\([^;{]*\)\s*\{", text[f], re.M):
            defined.setdefault(m.group(1), f)
    calls = {}
    for f in files:
        for name, g in defined.items():
            if g != f and re.search(r"\b" + name + r"\s*\(", text[f]):
                calls.setdefault((f, g), []).append(name)
    bad = 0
    for (a, b), names in sorted(calls.items()):
        if (b, a) in calls and a < b:
            print(f"FAIL: {os.path.basename(a)} calls {', '.join(names)} of "
                  f"{os.path.basename(b)}, which calls {', '.join(calls[(b, a)])} of it")
            bad = 1
    if len(defined) < 20:
        print(f"FAIL: only {len(defined)} functions found: the pattern no longer matches")
        bad = 1
    if not bad:
        print(f"ok: {len(files)} files, {len(defined)} functions, {len(calls)} one-way links")
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
