#!/usr/bin/env python3
"""The ecosystem check: runs ctxlint over a pinned corpus of real OpenTelemetry-using packages (corpus.sh) and
compares every finding with the hand-judged verdicts in verdicts.tsv, the way ruff checks itself against real
projects. It prints the precision per rule over judged findings, the verdicts whose finding is gone, and every
finding not judged yet (as TSV lines to fill in).

    python3 bench/ecosystem/check.py                 # build the corpus if needed, run, report
    python3 bench/ecosystem/check.py --ci            # also fail on an unjudged finding or a lost TP
    python3 bench/ecosystem/check.py --markdown      # the per-rule table for the README
    python3 bench/ecosystem/check.py --binary PATH   # another ctxlint (e.g. an older build, for a before/after)

A finding is keyed by (package directory, path from the package root, line, rule). verdicts.tsv columns:
package, path, line, rule, verdict (TP, FP, or TP-missed: a real bug ctxlint knowingly no longer reports), reason.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
VERDICTS = os.path.join(HERE, "verdicts.tsv")
VALID = ("TP", "FP", "TP-missed")


def release_binary():
    """The release ctxlint cargo builds, wherever its target directory is: the same build as bench/run.sh's (with its
    example, so that .ci/run builds the release binary once)."""
    build = subprocess.run(
        ["cargo", "build", "-q", "--release", "--locked", "--bin", "ctxlint", "--example", "parse_all", "--message-format=json"],
        cwd=REPO, stdout=subprocess.PIPE, check=True,
    )
    pick = subprocess.run(
        [sys.executable, os.path.join(REPO, "tests", "lib", "cargo_exe.py"), "ctxlint"],
        input=build.stdout, stdout=subprocess.PIPE, check=True,
    )
    return pick.stdout.decode().strip()


def read_verdicts(path):
    """(key → (verdict, reason)), and the problems of the file (bad lines, duplicate keys)."""
    verdicts, problems = {}, []
    if not os.path.exists(path):
        return verdicts, problems
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#") or line.startswith("package\t"):
                continue
            cells = line.split("\t")
            if len(cells) != 6 or not cells[2].isdigit() or cells[4] not in VALID or not cells[5].strip():
                problems.append(f"{path}:{n}: want package, path, line, rule, verdict ({'/'.join(VALID)}), reason")
                continue
            key = (cells[0], cells[1], int(cells[2]), cells[3])
            if key in verdicts:
                problems.append(f"{path}:{n}: {key} judged twice")
            verdicts[key] = (cells[4], cells[5])
    return verdicts, problems


def run_corpus(corpus, binary):
    """Every finding of `binary` on each package directory: key → (message, code around it)."""
    findings = {}
    for eco in sorted(os.listdir(corpus)):
        for pkg in sorted(os.listdir(os.path.join(corpus, eco))):
            root = os.path.join(corpus, eco, pkg)
            if not os.path.isdir(root):
                continue
            p = subprocess.run([binary, "--format", "json", "--exclude", ".git", "."], cwd=root, capture_output=True, text=True)
            if p.returncode not in (0, 1):
                sys.exit(f"ctxlint failed on {pkg} (exit {p.returncode}):\n{p.stderr}")
            for f in json.loads(p.stdout)["findings"]:
                line = f["start"]["line"]
                try:
                    with open(os.path.join(root, f["path"]), encoding="utf-8", errors="replace") as src:
                        lines = src.read().split("\n")
                except OSError:
                    lines = []
                code = " ⏎ ".join(s.strip() for s in lines[max(0, line - 2) : line + 1])
                findings[(pkg, f["path"], line, f["rule"])] = (f["message"], code)
    return findings


def compare(findings, verdicts):
    """The per-rule counts, the unjudged findings, the lost TPs and the fixed FPs."""
    per_rule = collections.defaultdict(collections.Counter)
    unjudged = []
    for key in sorted(findings):
        verdict = verdicts.get(key, (None,))[0]
        rule = key[3]
        per_rule[rule]["findings"] += 1
        if verdict is None:
            per_rule[rule]["unjudged"] += 1
            unjudged.append(key)
        elif verdict == "FP":
            per_rule[rule]["FP"] += 1
        else:  # a TP-missed finding that is reported again is a TP
            per_rule[rule]["TP"] += 1
    lost = sorted(k for k, (v, _) in verdicts.items() if v == "TP" and k not in findings)
    missed = sorted(k for k, (v, _) in verdicts.items() if v == "TP-missed" and k not in findings)
    fixed = sorted(k for k, (v, _) in verdicts.items() if v == "FP" and k not in findings)
    return per_rule, unjudged, lost, missed, fixed


def precision(tp, fp):
    return f"{tp / (tp + fp):.2f}" if tp + fp else "-"


def table(per_rule, markdown):
    rows = [("rule", "findings", "TP", "FP", "unjudged", "precision")]
    total = collections.Counter()
    for rule in sorted(per_rule):
        c = per_rule[rule]
        total.update(c)
        rows.append((rule, c["findings"], c["TP"], c["FP"], c["unjudged"], precision(c["TP"], c["FP"])))
    rows.append(("all rules", total["findings"], total["TP"], total["FP"], total["unjudged"], precision(total["TP"], total["FP"])))
    if markdown:
        out = ["| " + " | ".join(rows[0]) + " |", "|---|" + "---:|" * 5]
        for r in rows[1:]:
            name = r[0] if r[0] == "all rules" else f"`{r[0]}`"
            out.append("| " + " | ".join([name] + [str(c) for c in r[1:]]) + " |")
        return "\n".join(out)
    return "\n".join(f"{r[0]:<32} {r[1]:>8} {r[2]:>5} {r[3]:>5} {r[4]:>9} {r[5]:>9}" for r in rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", help="the ctxlint to run (default: the release build of this checkout)")
    ap.add_argument("--corpus", default=os.path.join(os.environ.get("CTXECO", "/tmp/ctxeco"), "corpus"))
    ap.add_argument("--verdicts", default=VERDICTS)
    ap.add_argument("--no-build-corpus", action="store_true", help="use the corpus as it is")
    ap.add_argument("--ci", action="store_true", help="exit 1 on an unjudged finding, a lost TP or a bad verdict line")
    ap.add_argument("--markdown", action="store_true", help="print the per-rule table as Markdown")
    ap.add_argument("--unjudged-out", help="write the unjudged findings there as TSV (verdict and reason empty)")
    ap.add_argument("--findings-out", help="write every finding there as TSV, with its message and code")
    args = ap.parse_args()

    if not args.no_build_corpus:
        env = dict(os.environ, CTXECO=os.path.dirname(args.corpus))
        subprocess.run(["bash", os.path.join(HERE, "corpus.sh")], env=env, check=True, stdout=subprocess.DEVNULL)
    binary = args.binary or release_binary()
    verdicts, problems = read_verdicts(args.verdicts)
    findings = run_corpus(args.corpus, binary)
    per_rule, unjudged, lost, missed, fixed = compare(findings, verdicts)

    print(table(per_rule, args.markdown))
    print(f"\n{len(findings)} findings, {len(unjudged)} unjudged; {len(fixed)} judged FPs no longer reported; "
          f"{len(missed)} known misses (TP-missed); {len(lost)} judged TPs no longer reported")
    for key in lost:
        print(f"LOST TP: {key[0]} {key[1]}:{key[2]} {key[3]} — {verdicts[key][1]}")
    for p in problems:
        print(f"BAD VERDICT LINE: {p}")
    if unjudged:
        print("\nunjudged (fill in verdict and reason, then append to verdicts.tsv):")
        for key in unjudged:
            print("\t".join(map(str, key)) + "\t\t" + "   # " + findings[key][1][:160])
    if args.unjudged_out:
        with open(args.unjudged_out, "w", encoding="utf-8") as f:
            for key in unjudged:
                f.write("\t".join(map(str, key)) + "\t\t\n")
    if args.findings_out:
        with open(args.findings_out, "w", encoding="utf-8") as f:
            for key in sorted(findings):
                f.write("\t".join(map(str, key)) + "\t" + findings[key][0] + "\t" + findings[key][1] + "\n")
    if args.ci and (unjudged or lost or problems):
        sys.exit("ecosystem check failed: judge the new findings, or explain each lost TP (verdict TP-missed)")


if __name__ == "__main__":
    main()
