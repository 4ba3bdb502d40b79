#!/usr/bin/env python3
"""Checks that the packaging files agree with each other (standard library only, so the release workflow can run
it before anything is installed): `python3 tests/packaging/check_versions.py [--tag vX.Y.Z]`.

- one version everywhere: Cargo.toml's [package] version is npm/ctxlint's, each of its optionalDependencies', the
  pre-commit mirror's (its own and its `ctxlint==` pin) and action.yml's default `version` (and the tag's, if given);
- one set of platforms: npm/platforms.json's package names are the launcher's optionalDependencies and the names in
  its PLATFORMS table, and its Rust targets are the release workflow's wheel matrix.

Prints every disagreement and exits 1 if there is any.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def read(rel):
    return (ROOT / rel).read_text(encoding="utf-8")


def cargo_version():
    """The version in Cargo.toml's [package] table."""
    package = re.search(r"^\[package\]\n(.*?)(?=^\[|\Z)", read("Cargo.toml"), re.M | re.S)
    version = package and re.search(r'^version\s*=\s*"([^"]+)"', package.group(1), re.M)
    if not version:
        sys.exit("check_versions: no [package] version in Cargo.toml")
    return version.group(1)


def problems(tag):
    """Every disagreement, as a sentence."""
    found = []
    version = cargo_version()

    def same(what, value):
        if value != version:
            found.append(f"{what} is {value!r}, Cargo.toml's version is {version!r}")

    if tag is not None:
        same(f"the version of the tag {tag}", tag[1:] if tag.startswith("v") else tag)

    launcher = json.loads(read("npm/ctxlint/package.json"))
    same("npm/ctxlint/package.json version", launcher.get("version"))
    optional = launcher.get("optionalDependencies", {})
    for name, spec in optional.items():
        same(f"npm/ctxlint optionalDependencies[{name}]", spec)

    mirror = read("pre-commit-mirror/pyproject.toml")
    own = re.search(r'^version\s*=\s*"([^"]+)"', mirror, re.M)
    same("pre-commit-mirror/pyproject.toml version", own and own.group(1))
    pin = re.search(r'"ctxlint==([^"]+)"', mirror)
    same("pre-commit-mirror/pyproject.toml ctxlint pin", pin and pin.group(1))

    action = re.search(r'^  version:\n(?:    .*\n)*?    default:\s*"([^"]+)"', read("action.yml"), re.M)
    same("action.yml default version", action and action.group(1))

    platforms = json.loads(read("npm/platforms.json"))["packages"]
    names = {p["name"] for p in platforms}
    if names != set(optional):
        found.append(f"npm/platforms.json names {sorted(names)}, npm/ctxlint optionalDependencies {sorted(optional)}")
    table = set(re.findall(r'^\s*"[a-z0-9-]+":\s*"(@ctxlint/cli-[a-z0-9-]+)"', read("npm/ctxlint/bin/ctxlint"), re.M))
    if names != table:
        found.append(f"npm/platforms.json names {sorted(names)}, the launcher's PLATFORMS {sorted(table)}")
    targets = {p["target"] for p in platforms}
    release = set(re.findall(r"^\s*- \{ os: [^,]+, target: ([^,]+),", read(".github/workflows/release.yml"), re.M))
    if targets != release:
        found.append(f"npm/platforms.json targets {sorted(targets)}, release.yml's matrix {sorted(release)}")
    return found


def main():
    args = sys.argv[1:]
    tag = None
    if args[:1] == ["--tag"] and len(args) == 2:
        tag = args[1]
    elif args:
        sys.exit("usage: check_versions.py [--tag vX.Y.Z]")
    found = problems(tag)
    for problem in found:
        print(f"check_versions: {problem}", file=sys.stderr)
    if found:
        sys.exit(1)
    print(f"check_versions: version {cargo_version()} everywhere, the same platforms in every list")


if __name__ == "__main__":
    main()
