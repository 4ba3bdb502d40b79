#!/usr/bin/env python3
"""Counts, from `ctxlint --format json` output, the share of findings of the rules documented as fixable (a `[fix]`
whose applicability is `safe` or `unsafe`) that carry a fix (an applicable one, not display-only), per rule, and
lists the findings without one (marking those that show a display-only suggestion).

Usage: fix_coverage.py [--min PERCENT] CTXLINT [PATHS...]   (default paths: tests/fixtures tests/witness)
Prints `fixable findings with a fix: N/M (P %)`; exits 1 when the share is below --min (CI uses 90, issue 20).
"""
import json
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path


def fixable_rules(root):
    rules = set()
    for path in sorted(root.glob("rules/*/*.toml")):
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        if spec.get("fix", {}).get("applicability") in ("safe", "unsafe"):
            rules.add(spec["id"])
    return rules


def main():
    args = sys.argv[1:]
    minimum = None
    if args[:1] == ["--min"]:
        minimum, args = float(args[1]), args[2:]
    exe = args[0]
    paths = args[1:] or ["tests/fixtures", "tests/witness"]
    root = Path(__file__).resolve().parents[2]
    rules = fixable_rules(root)
    out = subprocess.run(
        [exe, "--format", "json", "--exclude", "*.fixed.*", *paths],
        capture_output=True, text=True, cwd=root, check=False,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"ctxlint failed ({out.returncode}): {out.stderr}")
    findings = [f for f in json.loads(out.stdout)["findings"] if f["rule"] in rules and not f.get("suppressed")]
    total, fixed, missing = Counter(), Counter(), []
    for f in findings:
        total[f["rule"]] += 1
        fix = f.get("fix")
        if fix and fix.get("applicability") in ("safe", "unsafe"):
            fixed[f["rule"]] += 1
        else:
            missing.append(f)
    for rule in sorted(total):
        print(f"{rule:32} {fixed[rule]:4}/{total[rule]:<4}")
    shown = 0
    for f in missing:
        suggestion = (f.get("fix") or {}).get("applicability") == "display-only"
        shown += suggestion
        kind = "display-only" if suggestion else "no fix"
        print(f"  {kind}: {f['path']}:{f['start']['line']}: {f['rule']}: {f['message'][:100]}")
    n, m = sum(fixed.values()), sum(total.values())
    share = 100 * n / max(m, 1)
    print(f"fixable findings with a fix: {n}/{m} ({share:.1f} %); without one: {m - n}, of which {shown} show a display-only suggestion")
    if m == 0 or (minimum is not None and share < minimum):
        sys.exit(f"error: {share:.1f} % of the fixable findings carry a fix, below the {minimum} % wanted")


if __name__ == "__main__":
    main()
