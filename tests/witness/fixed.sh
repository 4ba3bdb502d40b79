#!/usr/bin/env bash
# Runs each witness's bad program with ctxlint's fixes applied (`--fix --unsafe-fixes`) and checks that it then
# behaves like its good program: the fixed copy's closing `expect(...)` is replaced by the good program's, so the copy
# exits 0 only when the runtime gives the fixed code the good program's behaviour. A bad program is paired with the
# good one of the same name (`bad.py` with `good.py`, `bad-thread.rs` with `good-thread.rs`); bad programs that
# ctxlint does not change are skipped. Works on copies under a temporary directory; writes nothing here.
#
# `fixed.sh CTXLINT [PATTERN]`: CTXLINT is the ctxlint executable; PATTERN selects programs as run.sh does. Python
# programs run with the interpreter of python/.venv (run.sh creates it); Rust ones are built (debug) in a copy of the
# witness crate, with CARGO_TARGET_DIR if set.
set -euo pipefail
shopt -s nullglob
here="$(cd "$(dirname "$0")" && pwd)"
ctxlint="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
pattern="${2:-}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skipped=0

# The program's text with its last line that starts with `expect(` (indentation kept) replaced by that of $2.
swap_expect() { # fixed-file good-file
  python3 - "$1" "$2" <<'PY'
import re, sys
fixed, good = (open(p, encoding="utf-8").read().split("\n") for p in sys.argv[1:])
last = lambda lines: max(i for i, l in enumerate(lines) if re.match(r"\s*expect\(", l))
fixed[last(fixed)] = good[last(good)]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(fixed))
PY
}

# Copies bad program $1 (under $here) to $tmp, fixes it there; prints the copy's path, or nothing if nothing changed.
fixed_copy() {
  local rel="${1#"$here"/}" copy="$tmp/${1#"$here"/}"
  mkdir -p "$(dirname "$copy")"
  cp "$1" "$copy"
  "$ctxlint" --fix --unsafe-fixes --isolated --quiet "$copy" >/dev/null 2>&1 || true
  if cmp -s "$1" "$copy"; then
    return 0
  fi
  local good="$here/$(dirname "$rel")/$(basename "$rel" | sed 's/^bad/good/')"
  [ -f "$good" ] || return 0
  swap_expect "$copy" "$good"
  printf '%s\n' "$copy"
}

check() { # name command...
  local name="$1"
  shift
  if "$@"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FIXED WITNESS FAILED: $name" >&2
  fi
}

mkdir -p "$tmp/python"
cp "$here/python/_witness.py" "$tmp/python/"
for program in "$here"/python/*/bad*.py; do
  rel="${program#"$here"/}"
  [[ -z "$pattern" || "$rel" == *"$pattern"* ]] || continue
  copy="$(fixed_copy "$program")"
  if [ -z "$copy" ]; then
    skipped=$((skipped + 1))
    continue
  fi
  echo "== $rel, fixed:"
  diff -u "$program" "$copy" | tail -n +3 || true
  check "$rel" "$here/python/.venv/bin/python" "$copy"
done

rust_bins=()
for program in "$here"/rust/*/bad*.rs; do
  rel="${program#"$here"/}"
  [[ -z "$pattern" || "$rel" == *"$pattern"* ]] || continue
  if [ "${#rust_bins[@]}" -eq 0 ]; then
    mkdir -p "$tmp/rust"
    (cd "$here/rust" && cp -r Cargo.toml Cargo.lock src "$tmp/rust/" && for d in */; do [ "$d" = target/ ] || [ "$d" = src/ ] || cp -r "$d" "$tmp/rust/"; done)
  fi
  copy="$(fixed_copy "$program")"
  if [ -z "$copy" ]; then
    skipped=$((skipped + 1))
    continue
  fi
  echo "== $rel, fixed:"
  diff -u "$program" "$copy" | tail -n +3 || true
  rust_bins+=("$(basename "$(dirname "$rel")")-$(basename "$rel" .rs)")
done
if [ "${#rust_bins[@]}" -gt 0 ]; then
  built="$(cd "$tmp/rust" && cargo build --quiet --locked --bins --message-format=json)"
  for bin in "${rust_bins[@]}"; do
    if exe="$(python3 "$here/../lib/cargo_exe.py" "$bin" <<<"$built")"; then
      check "rust/$bin (fixed)" "$exe"
    else
      check "rust/$bin (fixed)" false
    fi
  done
fi

echo "fixed witnesses: $pass behave like their good program, $fail do not ($skipped bad programs without a fix)"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
