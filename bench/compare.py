#!/usr/bin/env python3
"""Runs every comparison of bench/run.sh with hyperfine and prints one Markdown table of medians and ratios.

Each round runs every command once (hyperfine --runs 1), in an order that rotates from round to round, so that
the commands alternate and the machine's drift spreads over all of them; the medians are over the rounds.
Exits 1 when ctxlint's findings differ with --no-prefilter (speed must never cost a finding), or a command fails
to run at all; a missed speed target is reported in the table, not as a failure.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile


def hyperfine_once(command, workdir):
    """Wall seconds of one run of `command` (a list), measured by hyperfine."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    try:
        # -N: no shell; -i: linters exit 1 when they find something
        subprocess.run(
            ["hyperfine", "-N", "-i", "--runs", "1", "--style", "none", "--export-json", path, " ".join(quote(c) for c in command)],
            check=True,
            cwd=workdir,
            stdout=subprocess.DEVNULL,
        )
        with open(path) as f:
            result = json.load(f)["results"][0]
        if any(code not in (0, 1) for code in result.get("exit_codes", [0])):
            sys.exit(f"error: `{' '.join(command)}` exited with {result['exit_codes']}")
        return result["times"][0]
    finally:
        os.unlink(path)


def quote(arg):
    return arg if arg and all(c.isalnum() or c in "-_./=:" for c in arg) else "'" + arg.replace("'", "'\\''") + "'"


def peak_rss_mb(command):
    """Peak resident memory of one run, from GNU time."""
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as out:
        path = out.name
    try:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", path] + command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(path) as f:
            return int(f.read().split()[-1]) / 1024
    finally:
        os.unlink(path)


def findings(ctxlint, corpus, extra):
    out = subprocess.run([ctxlint, corpus, "--format", "json"] + extra, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"error: ctxlint {' '.join(extra)} exited with {out.returncode}: {out.stderr[:2000]}")
    doc = json.loads(out.stdout)
    return sorted(json.dumps(f, sort_keys=True) for f in doc["findings"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--ctxlint", required=True)
    ap.add_argument("--baseline", required=True, help="the parse_all example binary")
    ap.add_argument("--ruff", required=True)
    ap.add_argument("--ast-grep", required=True)
    ap.add_argument("--oxlint", required=True)
    ap.add_argument("--sgconfig", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", help="also write the table here")
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    py, js = os.path.join(corpus, "python"), os.path.join(corpus, "js")
    # lint every file the peers and the parse-only baseline read: the default excludes would skip the npm packages'
    # `build/` directories of the corpus (`--exclude` replaces them)
    every = ["--exclude", ".git"]
    cx = a.ctxlint

    commands = {
        "ctxlint": [cx, corpus, "-o", "/dev/null"] + every,
        "ctxlint --threads 1": [cx, corpus, "--threads", "1", "-o", "/dev/null"] + every,
        "ctxlint --threads 2": [cx, corpus, "--threads", "2", "-o", "/dev/null"] + every,
        "ctxlint --no-prefilter": [cx, corpus, "--no-prefilter", "-o", "/dev/null"] + every,
        "ctxlint --no-project": [cx, corpus, "--no-project", "-o", "/dev/null"] + every,
        "parse-only baseline": [a.baseline, "--threads", "2", corpus],
        "ast-grep scan": [a.ast_grep, "scan", "-c", a.sgconfig, corpus],
        "ctxlint --select py/ (Python part)": [cx, py, "--select", "py/", "-o", "/dev/null"] + every,
        "ruff --select RUF006 --no-cache (Python part)": [a.ruff, "check", "--select", "RUF006", "--no-cache", "-q", py],
        "ctxlint --select js/ (JS/TS part)": [cx, js, "--select", "js/", "-o", "/dev/null"] + every,
        "oxlint, default rules (JS/TS part)": [a.oxlint, js],
    }
    times = {name: [] for name in commands}
    names = list(commands)
    for r in range(a.rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for name in order:
            times[name].append(hyperfine_once(commands[name], corpus))
        print(f"round {r + 1}/{a.rounds} done", file=sys.stderr)
    med = {name: statistics.median(t) for name, t in times.items()}

    rss = peak_rss_mb(commands["ctxlint"])
    same = findings(cx, corpus, every) == findings(cx, corpus, every + ["--no-prefilter"])
    count = len(findings(cx, corpus, every))

    def row(what, target, value, ok):
        return f"| {what} | {target} | {value} | {'met' if ok else '**missed**'} |"

    r_parse = med["ctxlint"] / med["parse-only baseline"]
    r_sg = med["ast-grep scan"] / med["ctxlint"]
    r_py = med["ctxlint --select py/ (Python part)"] / med["ruff --select RUF006 --no-cache (Python part)"]
    r_js = med["ctxlint --select js/ (JS/TS part)"] / med["oxlint, default rules (JS/TS part)"]
    r_threads = med["ctxlint --threads 1"] / med["ctxlint --threads 2"]
    r_index = med["ctxlint"] / med["ctxlint --no-project"]
    lines = [
        f"Corpus: {corpus} ({corpus_size(corpus)}); {a.rounds} rounds, commands alternating; medians of wall time.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}.",
        "",
        "| command | median s | runs (s) |",
        "|---|---:|---|",
    ]
    for name in names:
        lines.append(f"| `{name}` | {med[name]:.2f} | {' '.join(f'{t:.2f}' for t in times[name])} |")
    lines += [
        "",
        "| target | wanted | measured | |",
        "|---|---|---:|---|",
        row("whole corpus vs the parse-only baseline", "≤ 0.25×", f"{r_parse:.3f}×", r_parse <= 0.25),
        row("ast-grep (equivalent rules) vs ctxlint", "≥ 4× slower", f"{r_sg:.1f}×", r_sg >= 4),
        row("Python part vs ruff RUF006", "≤ 1.0×", f"{r_py:.2f}×", r_py <= 1.0),
        row("JS/TS part vs oxlint", "≤ 1.0×", f"{r_js:.2f}×", r_js <= 1.0),
        row("peak memory, whole corpus", "≤ 200 MB", f"{rss:.0f} MB", rss <= 200),
        row("1 thread vs 2 threads", "≥ 1.8×", f"{r_threads:.2f}×", r_threads >= 1.8),
        row("cost of the project index (ctxlint vs --no-project)", "reported", f"{r_index:.2f}×", True),
        row("findings with --no-prefilter", "identical", f"{'identical' if same else 'DIFFERENT'} ({count} findings)", same),
    ]
    table = "\n".join(lines)
    print(table)
    if a.out:
        with open(a.out, "w") as f:
            f.write(table + "\n")
    if not same:
        sys.exit("error: the prefilter changed the findings")


def corpus_size(corpus):
    files = size = 0
    for root, _, names in os.walk(corpus):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(root, n))
    return f"{files} files, {size / 1e6:.0f} MB"


if __name__ == "__main__":
    main()
