#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The flatpak manifest as flatpak-builder and Flathub's reviewers read
it: valid JSON; the app-id the build and the metainfo use; a command the
build installs; local sources that exist; every download pinned (git by
commit, archives by sha256); files and the keyring reached through the
portals, not holes in the sandbox; the modules Chinese PDFs need; a
runtime that is still supported.

    check-flatpak.py SOURCE_ROOT [MANIFEST]
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

APP_ID_FILE = "cn.gov.gongkai.Desk"
# GNOME runtimes that Flathub no longer updates.
END_OF_LIFE = {str(v) for v in range(3, 46)}
FORBIDDEN_ARGS = {
    "--filesystem=home", "--filesystem=host", "--filesystem=host-os",
    "--filesystem=xdg-documents", "--filesystem=xdg-download",
    "--talk-name=org.freedesktop.secrets",
}
REQUIRED_MODULES = ("openjpeg", "poppler-data", "poppler")

root_dir = sys.argv[1]
manifest_path = (sys.argv[2] if len(sys.argv) > 2 else
                 os.path.join(root_dir, "flatpak", APP_ID_FILE + ".json"))
manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
problems = []


def read(*parts):
    with open(os.path.join(root_dir, *parts), encoding="utf-8") as f:
        return f.read()


def installed_programs():
    """The executables the meson build installs, from src/**/meson.build."""
    names = set()
    for dirpath, _, filenames in os.walk(os.path.join(root_dir, "src")):
        if "meson.build" not in filenames:
            continue
        with open(os.path.join(dirpath, "meson.build"), encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r"executable\(\s*'([^']+)'", text):
            end = text.find("\n)", m.end())
            call = text[m.end():end if end >= 0 else len(text)]
            if re.search(r"\binstall\s*:\s*true\b", call):
                names.add(m.group(1))
    return names


def modules_of(module_list):
    for module in module_list:
        if isinstance(module, str):
            problems.append(f"module {module!r} is a separate file; check it too")
            continue
        yield module
        yield from modules_of(module.get("modules", []))


try:
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
except (OSError, ValueError) as e:
    print(f"{manifest_path}: {e}")
    sys.exit(1)

app_id = manifest.get("app-id") or manifest.get("id")
build_id = re.search(r"set_quoted\('APPLICATION_ID',\s*'([^']+)'\)", read("meson.build"))
if not build_id or build_id.group(1) != app_id:
    problems.append(f"app-id {app_id!r} is not meson.build's APPLICATION_ID "
                    f"{build_id.group(1) if build_id else None!r}")
metainfo = ET.parse(os.path.join(root_dir, "data", APP_ID_FILE + ".metainfo.xml.in"))
if metainfo.getroot().findtext("id") != app_id:
    problems.append(f"app-id {app_id!r} is not the metainfo's "
                    f"{metainfo.getroot().findtext('id')!r}")

command = manifest.get("command")
programs = installed_programs()
if command not in programs:
    problems.append(f"command {command!r} is not installed by the build "
                    f"(it installs {sorted(programs)})")

runtime_version = str(manifest.get("runtime-version", ""))
if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
    problems.append("runtime and sdk are not org.gnome.Platform and org.gnome.Sdk")
if runtime_version in END_OF_LIFE:
    problems.append(f"runtime-version {runtime_version} is end-of-life")

for arg in manifest.get("finish-args", []):
    # --filesystem=xdg-download/sub:ro opens as much as it names.
    if arg.split(":")[0].split("/")[0] in FORBIDDEN_ARGS:
        problems.append(f"finish-arg {arg}: use the portals instead")

modules = list(modules_of(manifest.get("modules", [])))
names = [m.get("name") for m in modules]
for required in REQUIRED_MODULES:
    if required not in names:
        problems.append(f"no {required} module")
if all(r in names for r in ("openjpeg", "poppler")) and names.index("openjpeg") > names.index("poppler"):
    problems.append("openjpeg is built after poppler")

for module in modules:
    name = module.get("name")
    if name == "poppler":
        opts = module.get("config-opts", [])
        if "-DENABLE_LIBOPENJPEG=openjpeg2" not in opts:
            problems.append("poppler is not built with -DENABLE_LIBOPENJPEG=openjpeg2")
    if name == "gongkai" and "-Dtest_hooks=disabled" not in module.get("config-opts", []):
        problems.append("gongkai is not built with -Dtest_hooks=disabled")
    for source in module.get("sources", []):
        if isinstance(source, str):
            problems.append(f"{name}: source {source!r} is a separate file; check it too")
            continue
        kind = source.get("type")
        if kind in ("dir", "file", "patch"):
            path = source.get("path", "")
            if not os.path.exists(os.path.join(manifest_dir, path)):
                problems.append(f"{name}: {kind} source {path!r} does not exist")
        elif kind == "git":
            if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                problems.append(f"{name}: git source {source.get('url')} has no commit")
        elif kind == "archive":
            if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                problems.append(f"{name}: archive {source.get('url')} has no sha256")
        else:
            problems.append(f"{name}: source type {kind!r} is not checked here")

for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
