#!/usr/bin/env python3
"""Counts test cases from meson's testlog.json files (one or several runs).

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
lines = []
checks = [a for a in sys.argv[1:] if re.fullmatch(r"[\w.-]+=\w+", a)]
for path in sys.argv[1:]:
    if path in checks:
        continue
    try:
        with open(path, encoding="utf-8") as log:
            lines.extend(log.readlines())
    except OSError as e:
        # A run that never wrote its log (its build failed) is a failure.
        print(f"{path}: {e.strerror}", file=sys.stderr)
        failed += 1
if True:
    for line in lines:
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
for extra in checks:
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
