#!/usr/bin/env bash
# Validates ctxlint's SARIF with the Microsoft SARIF multitool (npm @microsoft/sarif-multitool), with both its `Sarif`
# and GitHub (`Gh`) rule sets: fails on any error or warning. The multitool exits 0 even when it reports errors, so this
# script counts them, and first checks that it does catch a broken log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# The executable cargo built for target $1, from `cargo build --message-format=json` on stdin (tests/lib/cargo_exe.py)
cargo_exe() { python3 "$root/tests/lib/cargo_exe.py" "$1"; }

# the build first: the multitool is kept in cargo's target directory (wherever CARGO_TARGET_DIR puts it)
built="$(cargo build --quiet --locked --bin ctxlint --message-format=json --manifest-path "$root/Cargo.toml")"
ctxlint="$(cargo_exe ctxlint <<<"$built")"
target_dir="$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
tooldir="${CTXLINT_SARIF_TOOL_DIR:-$target_dir/sarif-multitool}"
tool="$tooldir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$tool" ]; then
  mkdir -p "$tooldir"
  (cd "$tooldir" && npm install --no-audit --no-fund --loglevel=error @microsoft/sarif-multitool@5.7.0 >/dev/null)
  chmod u+x "$tool" # npm 11 skips the package's own postinstall chmod
fi

problems() { # file -> prints error and warning lines
  "$tool" validate --rule-kind "Sarif;Gh" --level "Error;Warning" "$1" 2>&1 | grep -E ": (error|warning) [A-Z]+[0-9]+" || true
}

# The check must be able to fail.
if [ -z "$(problems "$here/broken.sarif")" ]; then
  echo "sarif: the validator reported nothing for a broken log: the check cannot fail" >&2
  exit 1
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
(cd "$root" && "$ctxlint" tests/fixtures tests/witness --format sarif -o "$out/ctxlint.sarif") || status=$?
if [ "$status" -ne 1 ]; then
  echo "sarif: expected exit code 1 (findings) from ctxlint, got $status" >&2
  exit 1
fi
results="$(grep -c '"ruleId"' "$out/ctxlint.sarif" || true)"
found="$(problems "$out/ctxlint.sarif")"
if [ -n "$found" ]; then
  echo "$found" >&2
  echo "sarif: $(echo "$found" | wc -l) validator errors or warnings" >&2
  exit 1
fi
echo "sarif: valid ($results results; Sarif and Gh rule sets: 0 errors, 0 warnings)"
