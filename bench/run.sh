#!/usr/bin/env bash
# The performance benchmark: builds the corpus, installs the peers from the registries into a temporary directory,
# builds ctxlint and its parse-only baseline, runs every comparison with hyperfine and prints one table of medians
# and ratios (bench/compare.py).
#
#   bash bench/run.sh            # the 236 MB corpus of real code, 5 rounds (about 6 minutes on 2 cores)
#   bash bench/run.sh --quick    # a 7 MB subset, 2 rounds: CI runs this so that the script cannot rot
#
# Peers (pinned): ruff 0.17.0 and ast-grep 0.51.0 from PyPI, oxlint 1.94.0 from npm, hyperfine from Debian.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
QUICK=()
ROUNDS=5
if [ "${1:-}" = "--quick" ]; then QUICK=(--quick); ROUNDS=2; fi
PEERS="${CTXBENCH_PEERS:-${TMPDIR:-/tmp}/ctxlint-bench-peers}"

# The executable cargo built for target $1, from `cargo build --message-format=json` on stdin (tests/lib/cargo_exe.py)
cargo_exe() { python3 "$REPO/tests/lib/cargo_exe.py" "$1"; }

say() { printf '\n== %s\n' "$*" >&2; }

say "corpus"
bash "$HERE/corpus.sh" "${QUICK[@]}" >&2
if [ ${#QUICK[@]} -gt 0 ]; then CORPUS="${CTXBENCH:-/tmp/ctxbench-quick}/corpus"; else CORPUS="${CTXBENCH:-/tmp/ctxbench}/corpus"; fi

say "peers into $PEERS"
mkdir -p "$PEERS"
if ! command -v hyperfine >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq hyperfine >&2 || { apt-get update -qq >&2 && apt-get install -y -qq hyperfine >&2; }
  else
    echo "error: hyperfine is missing; install the Debian package hyperfine" >&2
    exit 1
  fi
fi
if [ ! -x /usr/bin/time ]; then
  apt-get install -y -qq time >&2 || { echo "error: GNU time (/usr/bin/time) is missing" >&2; exit 1; }
fi
if [ ! -x "$PEERS/venv/bin/ruff" ] || [ ! -x "$PEERS/venv/bin/ast-grep" ]; then
  python3 -m venv "$PEERS/venv"
  "$PEERS/venv/bin/pip" install -q ruff==0.17.0 ast-grep-cli==0.51.0 >&2
fi
if [ ! -x "$PEERS/npm/node_modules/.bin/oxlint" ]; then
  npm install -s --no-audit --no-fund --prefix "$PEERS/npm" oxlint@1.94.0 >&2
fi
hyperfine --version >&2
"$PEERS/venv/bin/ruff" --version >&2
"$PEERS/venv/bin/ast-grep" --version >&2
"$PEERS/npm/node_modules/.bin/oxlint" --version >&2

say "build"
built="$(cd "$REPO" && cargo build -q --release --locked --bin ctxlint --example parse_all --message-format=json)"
CTXLINT="$(cargo_exe ctxlint <<<"$built")"
BASELINE="$(cargo_exe parse_all <<<"$built")"

say "measure ($ROUNDS rounds)"
python3 "$HERE/compare.py" \
  --corpus "$CORPUS" \
  --ctxlint "$CTXLINT" \
  --baseline "$BASELINE" \
  --ruff "$PEERS/venv/bin/ruff" \
  --ast-grep "$PEERS/venv/bin/ast-grep" \
  --oxlint "$PEERS/npm/node_modules/.bin/oxlint" \
  --sgconfig "$HERE/ast-grep/sgconfig.yml" \
  --rounds "$ROUNDS" \
  --out "${CTXBENCH_OUT:-/dev/null}"
