#!/usr/bin/env python3
"""The window never waits on the store: no file of src/app may call a
synchronous function of the store's API.

The synchronous API is read from the core's headers: every function of
gk-store.h, gk-store-sync.h, gk-store-workflow.h, gk-workflow.h and
gk-sync.h whose first parameter is a GkStore (and gk_store_open).  The
asynchronous pairs (_async/_finish) and the few calls that do no I/O
(listed below, each with its reason) are allowed.  Prints every call it
finds, file:line, and exits 1 if there is one.
"""
import os
import re
import sys

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
core = os.path.join(src, "core")
app = os.path.join(src, "app")

HEADERS = ["gk-store.h", "gk-store-sync.h", "gk-store-workflow.h", "gk-workflow.h", "gk-sync.h"]

# No I/O: computed from the arguments or from what the store holds in memory.
PURE = {
    "gk_store_get_path": "the folder given at open",
    "gk_store_get_file_path": "a path built from the hash",
    "gk_store_get_cleanup": "what opening removed, kept in memory",
    "gk_store_get_schema_version": "read once at open",
    "gk_sync_new": "makes the engine; its runs are asynchronous",
    "gk_store_get_calendar": "the calendar built when the years changed, kept in memory",
}

decl = re.compile(r"^\s*[A-Za-z_][\w \*]*?\b(gk_\w+)\s*\(\s*(?:const\s+)?GkStore\s*\*", re.M)
sync = set()
for name in HEADERS:
    path = os.path.join(core, name)
    if not os.path.exists(path):
        continue
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for m in decl.finditer(text):
        fn = m.group(1)
        if fn.endswith("_async") or fn.endswith("_finish") or fn in PURE:
            continue
        sync.add(fn)
sync.add("gk_store_open")

if len(sync) < 20:
    print(f"only {len(sync)} synchronous functions found in {core}: the headers moved?")
    sys.exit(1)

call = re.compile(r"\b(" + "|".join(sorted(sync, key=len, reverse=True)) + r")\s*\(")
comment = re.compile(r"/\*.*?\*/", re.S)
bad = []
for root, _, files in os.walk(app):
    for name in sorted(files):
        if not name.endswith(".c"):
            continue
        path = os.path.join(root, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        # Comments may name the synchronous calls; keep line numbers.
        text = comment.sub(lambda m: "\n" * m.group(0).count("\n"), text)
        for lineno, line in enumerate(text.splitlines(), 1):
            for m in call.finditer(line):
                bad.append(f"{os.path.relpath(path, src)}:{lineno}: {m.group(1)}")

for line in bad:
    print(line)
print(f"{len(sync)} synchronous store functions; {len(bad)} calls in src/app")
sys.exit(1 if bad else 0)
