#!/usr/bin/env bash
# The language server's latency: didChange -> publishDiagnostics on a 2,000-line file (bench/lsp/didchange.py), with
# the release build as bench/run.sh uses (`--debug`: the dev build, for a quick look). Target: a median of 30 ms or less.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
profile=(--release)
if [ "${1:-}" = "--debug" ]; then
  profile=()
  shift
fi
built="$(cd "$root" && cargo build -q --locked "${profile[@]}" --bin ctxlint --message-format=json)"
ctxlint="$(python3 "$root/tests/lib/cargo_exe.py" ctxlint <<<"$built")"
python3 "$root/bench/lsp/didchange.py" "$ctxlint" "${1:-40}"
