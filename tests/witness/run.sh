#!/usr/bin/env bash
# Runs every witness program against the real SDKs: each exits 0 when the runtime behaves as its rule says (the bad
# pattern loses or leaks the context, the fix keeps it). Installs the pinned dependencies first (npm ci, a Python
# venv, cargo build --locked). Exits non-zero if any witness fails or cannot run.
set -euo pipefail
shopt -s nullglob
here="$(cd "$(dirname "$0")" && pwd)"
pass=0
fail=0
failed=()

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

echo "== node: npm ci"
(cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
for program in "$here"/node/*/bad*.js "$here"/node/*/good*.js; do
  run "node/${program#"$here"/node/}" node "$program"
done

echo "== python: venv + pinned opentelemetry-sdk"
python3 -m venv "$here/python/.venv"
"$here/python/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/python/requirements.txt"
for program in "$here"/python/*/bad*.py "$here"/python/*/good*.py; do
  run "python/${program#"$here"/python/}" "$here/python/.venv/bin/python" "$program"
done

echo "== rust: cargo build --locked"
built="$(cargo build --quiet --release --locked --bins --message-format=json --manifest-path "$here/rust/Cargo.toml")"
for program in "$here"/rust/*/bad*.rs "$here"/rust/*/good*.rs; do
  rule="$(basename "$(dirname "$program")")"
  variant="$(basename "$program" .rs)"
  if exe="$(cargo_exe "$rule-$variant" <<<"$built")"; then
    run "rust/$rule/$variant.rs" "$exe"
  else
    run "rust/$rule/$variant.rs" false
  fi
done

if [ "$fail" -gt 0 ]; then
  printf 'failed witness: %s\n' "${failed[@]}" >&2
fi
echo "witnesses: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
