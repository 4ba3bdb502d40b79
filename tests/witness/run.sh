#!/usr/bin/env bash
# Runs every witness program against the real SDKs: each exits 0 when the runtime behaves as its rule says (the bad
# pattern loses or leaks the context, the fix keeps it). Installs the pinned dependencies first (npm ci, a Python
# venv, cargo build --locked). Exits non-zero if any witness fails or cannot run.
#
# The runtime-model witnesses (python/runtime/<sdk>/: what an instrumentation or SDK carries once activated) each pin
# their own requirements.txt and get their own venv, so one SDK's patches never leak into another's programs; every
# program there whose name does not start with `_` is run.
#
# `run.sh [PATTERN]` runs only the programs whose path (as printed, e.g. `python/runtime/logfire/bad-threads.py`)
# contains PATTERN, and installs only what they need.
set -euo pipefail
shopt -s nullglob
here="$(cd "$(dirname "$0")" && pwd)"
pass=0
fail=0
failed=()
pattern="${1:-}"

# Is the program path $1 (relative to this directory) selected?
selected() { [[ -z "$pattern" || "$1" == *"$pattern"* ]]; }

# The selected programs among the paths given (relative to this directory), one per line.
select_programs() {
  local program
  for program in "$@"; do
    if selected "${program#"$here"/}"; then
      printf '%s\n' "$program"
    fi
  done
}

# The executable cargo built for target $1, from `cargo build --message-format=json` on stdin (tests/lib/cargo_exe.py)
cargo_exe() { python3 "$here/../../tests/lib/cargo_exe.py" "$1"; }

run() { # name command...
  local name="$1"
  shift
  if "$@"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    failed+=("$name")
  fi
}

mapfile -t programs < <(select_programs "$here"/node/*/bad*.js "$here"/node/*/good*.js)
if [ "${#programs[@]}" -gt 0 ]; then
  echo "== node: npm ci"
  (cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  for program in "${programs[@]}"; do
    run "node/${program#"$here"/node/}" node "$program"
  done
fi

mapfile -t programs < <(select_programs "$here"/python/*/bad*.py "$here"/python/*/good*.py)
if [ "${#programs[@]}" -gt 0 ]; then
  echo "== python: venv + pinned opentelemetry-sdk"
  python3 -m venv "$here/python/.venv"
  "$here/python/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/python/requirements.txt"
  for program in "${programs[@]}"; do
    run "python/${program#"$here"/python/}" "$here/python/.venv/bin/python" "$program"
  done
fi

for dir in "$here"/python/runtime/*/; do
  dir="${dir%/}"
  mapfile -t programs < <(select_programs "$dir"/[!_]*.py)
  [ "${#programs[@]}" -gt 0 ] || continue
  echo "== python runtime model: ${dir#"$here"/}: venv + its pinned requirements"
  python3 -m venv "$dir/.venv"
  "$dir/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
  for program in "${programs[@]}"; do
    run "${program#"$here"/}" "$dir/.venv/bin/python" "$program"
  done
done

mapfile -t programs < <(select_programs "$here"/rust/*/bad*.rs "$here"/rust/*/good*.rs)
if [ "${#programs[@]}" -gt 0 ]; then
  echo "== rust: cargo build --locked"
  built="$(cargo build --quiet --release --locked --bins --message-format=json --manifest-path "$here/rust/Cargo.toml")"
  for program in "${programs[@]}"; do
    rule="$(basename "$(dirname "$program")")"
    variant="$(basename "$program" .rs)"
    if exe="$(cargo_exe "$rule-$variant" <<<"$built")"; then
      run "rust/$rule/$variant.rs" "$exe"
    else
      run "rust/$rule/$variant.rs" false
    fi
  done
fi

if [ "$fail" -gt 0 ]; then
  printf 'failed witness: %s\n' "${failed[@]}" >&2
fi
echo "witnesses: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
