#!/usr/bin/env python3
"""The window speaks the office's language: no message it shows in zh_CN
names an internal field key ("有效期至（effective_until）"), a command-line
option ("--as"), 体裁 for 文种 (GB/T 9704), or puts ASCII punctuation
between Chinese words ("企业, 个体工商户").

Reads the strings of the window (gettext calls in src/app, translatable
labels in ui/) and the strings of the core whose messages the window shows
as they are (src/core), looks each up in po/zh_CN.po, and prints every
translation that breaks a rule.  Exits 1 if there is one.  The command
line's own strings (src/cli) may name options and keys.
"""
import os
import re
import sys

top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")

def c_strings(text):
    # _("…" "…") and N_("…"), adjacent literals joined.
    for m in re.finditer(r'\bN?_\s*\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)', text):
        yield "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))

def ui_strings(text):
    for m in re.finditer(r'translatable="yes"[^>]*>([^<]*)<', text):
        yield m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

def po_entries(path):
    entries = {}
    text = open(path, encoding="utf-8").read()
    for block in text.split("\n\n"):
        mid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        mstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if mid and mstr:
            key = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', mid.group(1)))
            entries[key] = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', mstr.group(1)))
    return entries

strings = set()
for sub, kind in (("src/app", "c"), ("src/core", "c"), ("ui", "ui")):
    for root, _, files in os.walk(os.path.join(top, sub)):
        for name in files:
            path = os.path.join(root, name)
            if kind == "c" and name.endswith(".c"):
                strings.update(c_strings(open(path, encoding="utf-8").read()))
            elif kind == "ui" and name.endswith(".ui"):
                strings.update(ui_strings(open(path, encoding="utf-8").read()))

po = po_entries(os.path.join(top, "po", "zh_CN.po"))
keys = re.compile(r"[（(][a-z]+(?:_[a-z]+)+[）)]|[（(](?:title|issuer|tags|topic|related|interprets|disclosure|genre|audience)[）)]")
bad = []
for s in sorted(strings):
    zh = po.get(s)
    if not zh:
        continue
    why = []
    if keys.search(zh):
        why.append("names an internal key")
    if re.search(r"“--[a-z]|--as\b", zh):
        why.append("names a command-line option")
    if "体裁" in zh:
        why.append("体裁 (the field's word is 文种)")
    if re.search(r"[\u4e00-\u9fff] ?[,:;] ?[\u4e00-\u9fff]", zh):
        why.append("ASCII punctuation inside Chinese text")
    if why:
        bad.append(f"{'; '.join(why)}: {zh}")

for line in bad:
    print(line)
if len(strings) < 500:
    print(f"only {len(strings)} strings read: the sources moved?")
    sys.exit(1)
print(f"{len(strings)} strings of the window and the core; {len(bad)} that break a rule")
sys.exit(1 if bad else 0)
