#!/usr/bin/env bash
# Builds the ctxlint benchmark corpus under /tmp/ctxbench/corpus from PINNED package
# versions fetched from the registries only (PyPI, npm, crates.io) with their ordinary clients.
#
#   bash corpus.sh            # build (idempotent: packages already extracted are skipped)
#   bash corpus.sh --quick    # a few MB of the same kinds of code, under /tmp/ctxbench-quick (CI)
#   CTXBENCH=/other bash corpus.sh
#
# Adapted from the shared benchmark's corpus.sh: the same pinned packages, plus the --quick subset.
#
# Layout:  $CTXBENCH/dl/...            downloads (sdists/wheels, npm tarballs, cargo project)
#          $CTXBENCH/corpus/python/<pkg>-<ver>/...
#          $CTXBENCH/corpus/js/<pkg>-<ver>/...
#          $CTXBENCH/corpus/rust/vendor/<crate>-<ver>/...
#          $CTXBENCH/corpus.stats     file counts and bytes per language
# Only *.py *.js *.mjs *.cjs *.ts *.tsx *.jsx *.rs files are kept (plus directories).
# Rust: the transitive lockfile is pinned by corpus-rust.Cargo.lock next to this script
# (written on the first run if missing, reused afterwards).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; fi
if [ $QUICK = 1 ]; then ROOT="${CTXBENCH:-/tmp/ctxbench-quick}"; else ROOT="${CTXBENCH:-/tmp/ctxbench}"; fi
DL="$ROOT/dl"
CORPUS="$ROOT/corpus"
PY="${PYTHON:-python3}"
mkdir -p "$DL/pypi" "$DL/npm" "$CORPUS/python" "$CORPUS/js" "$CORPUS/rust"

# ---------------------------------------------------------------- Python (PyPI)
PYPI_PKGS=(
  Django==5.1.4
  SQLAlchemy==2.0.36
  celery==5.4.0
  kombu==5.4.2
  fastapi==0.115.6
  starlette==0.41.3
  opentelemetry-api==1.29.0
  opentelemetry-sdk==1.29.0
  opentelemetry-instrumentation==0.50b0
  opentelemetry-instrumentation-asyncio==0.50b0
  opentelemetry-instrumentation-celery==0.50b0
  opentelemetry-instrumentation-django==0.50b0
  opentelemetry-instrumentation-fastapi==0.50b0
  opentelemetry-instrumentation-asgi==0.50b0
  opentelemetry-instrumentation-aiohttp-client==0.50b0
  opentelemetry-instrumentation-requests==0.50b0
  opentelemetry-instrumentation-sqlalchemy==0.50b0
  opentelemetry-instrumentation-threading==0.50b0
  aiohttp==3.11.11
  asgiref==3.8.1
  tornado==6.4.2
  Twisted==24.11.0
  transformers==4.47.1
)
if [ $QUICK = 1 ]; then
  PYPI_PKGS=(opentelemetry-api==1.29.0 opentelemetry-sdk==1.29.0 opentelemetry-instrumentation-asyncio==0.50b0 asgiref==3.8.1)
fi

extract_any() { # archive destdir
  local a="$1" d="$2" tmp
  tmp="$(mktemp -d "$d.tmp.XXXX")"
  case "$a" in
    *.tar.gz|*.tgz) tar -xzf "$a" -C "$tmp" ;;
    *.tar.bz2)      tar -xjf "$a" -C "$tmp" ;;
    *.zip|*.whl)    "$PY" -m zipfile -e "$a" "$tmp" ;;
    *) echo "unknown archive $a" >&2; rm -rf "$tmp"; return 1 ;;
  esac
  rm -rf "$d"; mv "$tmp" "$d"
}

fetch_pypi() { # spec
  local spec="$1" name ver dest dldir a
  name="${spec%%==*}"; ver="${spec##*==}"
  dest="$CORPUS/python/$name-$ver"
  [ -e "$dest/.done" ] && return 0
  dldir="$DL/pypi/$name-$ver"; mkdir -p "$dldir"
  a="$(ls "$dldir"/* 2>/dev/null | head -n1 || true)"
  if [ -z "$a" ]; then
    # sdist first (it carries the tests, like a checkout); wheel if no sdist can be had.
    # --no-binary NAME (not :all:) so that the build backends pip installs to read the
    # sdist's metadata come as wheels instead of being compiled from source.
    pip download -q --no-deps --no-binary "$name" "$spec" -d "$dldir" >"$dldir.log" 2>&1 \
      || pip download -q --no-deps --only-binary :all: "$spec" -d "$dldir" >>"$dldir.log" 2>&1
    a="$(ls "$dldir"/* | head -n1)"
  fi
  extract_any "$a" "$dest"
  touch "$dest/.done"
  echo "pypi  $spec  <- $(basename "$a")"
}

# ---------------------------------------------------------------- JS/TS (npm)
NPM_PKGS=(
  typescript@5.7.2
  express@4.21.2
  kafkajs@2.2.4
  bullmq@5.34.4
  fastify@5.2.0
  rxjs@7.8.1
  lodash@4.17.21
  webpack@5.97.1
  @opentelemetry/api@1.9.0
  @opentelemetry/core@1.29.0
  @opentelemetry/context-async-hooks@1.29.0
  @opentelemetry/sdk-trace-base@1.29.0
  @opentelemetry/sdk-trace-node@1.29.0
  @opentelemetry/sdk-node@0.56.0
  @opentelemetry/instrumentation@0.56.0
  @opentelemetry/instrumentation-http@0.56.0
  @opentelemetry/instrumentation-express@0.46.0
  @opentelemetry/instrumentation-fastify@0.43.0
  @opentelemetry/instrumentation-kafkajs@0.6.0
  @opentelemetry/instrumentation-ioredis@0.46.0
  @opentelemetry/auto-instrumentations-node@0.54.0
  @grpc/grpc-js@1.12.5
  aws-sdk@2.1692.0
  @angular/core@19.0.5
)
if [ $QUICK = 1 ]; then
  NPM_PKGS=(express@4.21.2 kafkajs@2.2.4 @opentelemetry/api@1.9.0 @opentelemetry/sdk-trace-base@1.29.0)
fi

fetch_npm() { # name@ver
  local spec="$1" safe dest tgz tmp top
  safe="$(echo "$spec" | sed 's|^@||; s|/|__|; s|@|-|')"
  dest="$CORPUS/js/$safe"
  [ -e "$dest/.done" ] && return 0
  tgz="$(ls "$DL/npm/$safe"/*.tgz 2>/dev/null | head -n1 || true)"
  if [ -z "$tgz" ]; then
    mkdir -p "$DL/npm/$safe"
    (cd "$DL/npm/$safe" && npm pack --silent "$spec" >/dev/null 2>"$DL/npm/$safe.log")
    tgz="$(ls "$DL/npm/$safe"/*.tgz | head -n1)"
  fi
  tmp="$(mktemp -d "$dest.tmp.XXXX")"
  tar -xzf "$tgz" -C "$tmp" --no-same-owner
  top="$(ls "$tmp")"   # npm tarballs hold one top folder (usually package/)
  rm -rf "$dest"; mv "$tmp/$top" "$dest"; rmdir "$tmp"
  touch "$dest/.done"
  echo "npm   $spec"
}

# ---------------------------------------------------------------- Rust (crates.io)
fetch_rust() {
  local proj="$DL/cargo-proj" dest="$CORPUS/rust/vendor"
  [ -e "$CORPUS/rust/.done" ] && return 0
  mkdir -p "$proj/src"
  local lock="$HERE/corpus-rust.Cargo.lock"
  if [ $QUICK = 1 ]; then
    lock="$HERE/corpus-rust-quick.Cargo.lock"
    cat >"$proj/Cargo.toml" <<'EOF'
[package]
name = "ctxbench-corpus"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
tracing = "=0.1.41"
tracing-futures = "=0.2.5"
EOF
  else
  cat >"$proj/Cargo.toml" <<'EOF'
[package]
name = "ctxbench-corpus"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
tokio = { version = "=1.42.0", features = ["full", "tracing"] }
tracing = "=0.1.41"
tracing-subscriber = "=0.3.19"
tracing-opentelemetry = "=0.28.0"
opentelemetry = "=0.27.1"
opentelemetry_sdk = { version = "=0.27.1", features = ["rt-tokio"] }
opentelemetry-otlp = "=0.27.0"
hyper = { version = "=1.5.2", features = ["full"] }
axum = "=0.7.9"
tonic = "=0.12.3"
reqwest = { version = "=0.12.9", features = ["json", "stream"] }
serde = { version = "=1.0.216", features = ["derive"] }
serde_json = "=1.0.134"
EOF
  fi
  echo 'fn main() {}' >"$proj/src/main.rs"
  if [ -f "$lock" ]; then
    cp "$lock" "$proj/Cargo.lock"
  else
    (cd "$proj" && cargo generate-lockfile -q)
    cp "$proj/Cargo.lock" "$lock"
  fi
  rm -rf "$dest"
  (cd "$proj" && cargo vendor -q --locked --versioned-dirs "$dest" >/dev/null)
  # cargo vendor takes every target's deps: drop the Windows-only generated bindings
  # (windows-sys, windows_*, winapi*), ~55 MB of .rs no Linux project would lint.
  # Same for two other generated-binding crates (linux-raw-sys, web-sys: ~28 MB of
  # machine-written extern/const tables) so that the Rust part stays hand-written code.
  rm -rf "$dest"/windows* "$dest"/winapi* "$dest"/linux-raw-sys-* "$dest"/web-sys-*
  touch "$CORPUS/rust/.done"
  echo "crates  $(ls "$dest" | wc -l) crates vendored"
}

# Run the three registries side by side; pip's sdist metadata step is the slow part.
export -f fetch_pypi extract_any
export CORPUS DL PY
( printf '%s\n' "${PYPI_PKGS[@]}" | xargs -P 4 -I{} bash -c 'fetch_pypi "$1"' _ {} ) &
p1=$!
( for s in "${NPM_PKGS[@]}"; do fetch_npm "$s"; done ) &
p2=$!
fetch_rust &
p3=$!
rc=0
wait $p1 || rc=1
wait $p2 || rc=1
wait $p3 || rc=1
[ $rc -eq 0 ] || { echo "a fetch failed" >&2; exit 1; }

# ---------------------------------------------------------------- prune + stats
# Drop package folders no longer in the lists above (keeps reruns exact after edits).
declare -A want=()
for s in "${PYPI_PKGS[@]}"; do want["python/${s%%==*}-${s##*==}"]=1; done
for s in "${NPM_PKGS[@]}"; do want["js/$(echo "$s" | sed 's|^@||; s|/|__|; s|@|-|')"]=1; done
for d in "$CORPUS"/python/* "$CORPUS"/js/*; do
  k="${d#"$CORPUS"/}"
  [ -n "${want[$k]:-}" ] || { echo "removing stale $k"; rm -rf "$d"; }
done
find "$CORPUS" -type l -delete
find "$CORPUS" -type f ! \( -name '*.py' -o -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \
  -o -name '*.ts' -o -name '*.tsx' -o -name '*.jsx' -o -name '*.rs' -o -name '.done' \) -delete
find "$CORPUS" -depth -type d -empty -delete
# An empty .semgrepignore at the root turns off semgrep's built-in ignore list (tests/, test/...)
# so that semgrep scans the same files as the other tools (run semgrep with cwd = corpus).
: >"$CORPUS/.semgrepignore"

{
  printf '%-8s %8s %12s %8s\n' ext files bytes MB
  for e in py js mjs cjs ts tsx jsx rs; do
    find "$CORPUS" -type f -name "*.$e" -printf '%s\n' \
      | awk -v e="$e" '{n++; b+=$1} END {printf "%-8s %8d %12d %8.1f\n", e, n, b, b/1e6}'
  done
  for l in python js rust; do
    find "$CORPUS/$l" -type f ! -name .done -printf '%s\n' \
      | awk -v l="$l" '{n++; b+=$1} END {printf "%-8s %8d %12d %8.1f\n", "["l"]", n, b, b/1e6}'
  done
  find "$CORPUS" -type f ! -name .done ! -name .semgrepignore -printf '%s\n' \
    | awk '{n++; b+=$1} END {printf "%-8s %8d %12d %8.1f\n", "TOTAL", n, b, b/1e6}'
} | tee "$ROOT/corpus.stats"
