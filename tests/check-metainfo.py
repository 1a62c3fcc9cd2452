#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The metainfo as a software centre reads it: every screenshot is one of
docs/screenshots/ (published under the homepage), exactly one is the
default and each has a caption; the releases are newest first with ISO
dates and a description; the content rating is there; the symbolic
app icon (installed next to the full-colour one) is a 16×16 SVG in the
one colour GTK recolours.

    check-metainfo.py SOURCE_ROOT
"""
import os
import sys
import xml.etree.ElementTree as ET

root_dir = sys.argv[1]
tree = ET.parse(os.path.join(root_dir, "data", "cn.gov.gongkai.Desk.metainfo.xml.in"))
component = tree.getroot()
problems = []

homepage = component.findtext("url[@type='homepage']")
shots = component.findall("screenshots/screenshot")
if not shots:
    problems.append("no screenshots")
defaults = [s for s in shots if s.get("type") == "default"]
if len(defaults) != 1:
    problems.append(f"{len(defaults)} default screenshots, not 1")
for shot in shots:
    image = shot.findtext("image") or ""
    if not image.startswith("https://"):
        problems.append(f"screenshot not an https address: {image!r}")
    if homepage and not image.startswith(homepage.rstrip("/") + "/screenshots/"):
        problems.append(f"screenshot not under {homepage}/screenshots/: {image}")
    name = image.rsplit("/", 1)[-1]
    if not os.path.isfile(os.path.join(root_dir, "docs", "screenshots", name)):
        problems.append(f"docs/screenshots/{name} does not exist")
    if not (shot.findtext("caption") or "").strip():
        problems.append(f"screenshot {name} has no caption")

dates = []
for release in component.findall("releases/release"):
    date = release.get("date") or ""
    if len(date) != 10 or date[4] != "-" or date[7] != "-":
        problems.append(f"release {release.get('version')}: date {date!r} is not YYYY-MM-DD")
    if release.find("description") is None:
        problems.append(f"release {release.get('version')} has no description")
    dates.append(date)
if not dates:
    problems.append("no releases")
if dates != sorted(dates, reverse=True):
    problems.append(f"releases not newest first: {dates}")

if component.find("content_rating") is None:
    problems.append("no content rating")

icon_name = component.findtext("id") + "-symbolic.svg"
icon_path = os.path.join(root_dir, "ui", "icons", "scalable", "apps", icon_name)
try:
    icon = ET.parse(icon_path).getroot()
except (OSError, ET.ParseError) as e:
    problems.append(f"symbolic icon: {e}")
else:
    if icon.tag != "{http://www.w3.org/2000/svg}svg":
        problems.append(f"{icon_name} is not an SVG document")
    if (icon.get("viewBox") or "").split() != ["0", "0", "16", "16"]:
        problems.append(f"{icon_name}: viewBox {icon.get('viewBox')!r}, not 0 0 16 16")
    for element in icon.iter():
        for attribute in ("fill", "stroke"):
            colour = element.get(attribute)
            if colour not in (None, "none", "#2e3436"):
                problems.append(f"{icon_name}: {attribute} {colour}, not #2e3436")
with open(os.path.join(root_dir, "src", "app", "meson.build"), encoding="utf-8") as f:
    if icon_name not in f.read():
        problems.append(f"{icon_name} is not installed by src/app/meson.build")

for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
