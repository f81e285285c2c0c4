#!/usr/bin/env python3
"""test_names.py SOURCE_DIR - every file of the project that a comment or a
document names by its path exists: tokens like harness/driver/json.c or
docs/DESIGN.md in any tracked source, script or document, and bare C file
names (json.c) in comments, each looked up among the tracked files.
Placeholders (NAME, X) and generated or external files are not paths to
check. Needs git (skipped, 77, outside a checkout)."""

import os
import re
import subprocess
import sys

EXT = r"(?:c|h|cc|cpp|py|sh|gp|md|cmake|pml|awk)"
PATH = re.compile(r"(?<![\w./<{$-])((?:core|harness|scripts|variants|docs|\.ci)/[\w./+-]*\w\."
                  + EXT + r")\b")
BARE_C = re.compile(r"(?<![\w./<{$*>-])([a-z_][\w-]*\.c)\b")
COMMENT = re.compile(r"^\s*(?:/\*|\*|//|#)")
PLACEHOLDER = re.compile(r"(?:^|/)(?:[\w-]*\b(?:NAME|X)\b[\w-]*)\.\w+$|_NAME\.|NAME\.")
# Written by Spin when a model is checked; a user's files in a usage example.
GENERATED = {"pan.c", "a.c", "b.c"}


def main(argv):
    root = argv[0]
    try:
        out = subprocess.run(["git", "-C", root, "ls-files"], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        print("SKIP: not a git checkout")
        return 77
    files = out.split()
    tracked = set(files)
    bases = {os.path.basename(f) for f in files}
    scan = [f for f in files if not f.startswith("results/") and
            re.search(r"\.(c|h|cc|cpp|py|sh|gp|md|cmake|txt|awk|pml)$|^scripts/[^./]+$", f)]
    bad = 0
    for f in scan:
        try:
            with open(os.path.join(root, f), encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
            continue
        for n, line in enumerate(lines, 1):
            for m in PATH.finditer(line):
                p = m.group(1)
                if PLACEHOLDER.search(p) or p in tracked or os.path.exists(os.path.join(root, p)):
                    continue
                print(f"FAIL: {f}:{n} names {p}, which does not exist")
                bad += 1
            if COMMENT.match(line) and not f.endswith(".md"):
                for m in BARE_C.finditer(line):
                    b = m.group(1)
                    if b in bases or b in GENERATED:
                        continue
                    print(f"FAIL: {f}:{n} names {b}, which no tracked file is")
                    bad += 1
    if not bad:
        print(f"ok: the paths named in {len(scan)} files exist")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
