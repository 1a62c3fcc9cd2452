#!/usr/bin/env python3
"""Counts test cases from meson's testlog.json.

Tests speak TAP (GTest with --tap): every "ok"/"not ok" line is one case.
A test program that crashed or timed out counts one failure on top of the
cases it reported.  Checks run outside meson follow as NAME=ok or
NAME=fail arguments (scripts/test passes check-format=…), one case each.
Prints "N passed, N failed"; exits 1 if any failed.
"""
import json
import re
import sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        entry = json.loads(line)
        out = entry.get("stdout") or ""
        ok = len(re.findall(r"^ok \d+", out, re.M))
        skip = len(re.findall(r"^ok \d+.*# SKIP", out, re.M))
        bad = len(re.findall(r"^not ok \d+", out, re.M))
        result = entry.get("result")
        if ok == 0 and bad == 0:
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
            continue
        passed += ok - skip
        skipped += skip
        failed += bad
        if result not in ("OK", "EXPECTEDFAIL", "SKIP") and bad == 0:
            failed += 1
for extra in sys.argv[2:]:
    name, _, result = extra.partition("=")
    if result == "ok":
        passed += 1
    else:
        failed += 1
        print(f"not ok {name}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
