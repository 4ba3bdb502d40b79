#!/usr/bin/env bash
# Builds the ecosystem corpus: real OpenTelemetry-using packages at PINNED versions, from the registries only (PyPI
# with pip, npm with `npm pack`, crates.io's static download host), one directory per package:
#   $CTXECO/corpus/{python,js,rust}/<name>-<version>/      (CTXECO defaults to /tmp/ctxeco)
# Only the files ctxlint reads are kept (sources, and the manifests its runtime models read). Idempotent: a package
# already extracted is skipped. Changing a pin changes the verdicts' keys: judge the new findings (README).
set -euo pipefail
ROOT="${CTXECO:-/tmp/ctxeco}"
DL="$ROOT/dl"
CORPUS="$ROOT/corpus"
PY="${PYTHON:-python3}"
mkdir -p "$DL/pypi" "$DL/npm" "$DL/crates" "$CORPUS/python" "$CORPUS/js" "$CORPUS/rust"

PYPI_PKGS=(
  opentelemetry-instrumentation-threading==0.66b1
  opentelemetry-instrumentation-celery==0.66b1
  opentelemetry-instrumentation-kafka-python==0.66b1
  opentelemetry-instrumentation-aio-pika==0.66b1
  opentelemetry-instrumentation-pika==0.66b1
  opentelemetry-instrumentation-asyncio==0.66b1
  opentelemetry-instrumentation-grpc==0.66b1
  opentelemetry-instrumentation-openai==0.62.4
  traceloop-sdk==0.62.4
  openinference-instrumentation-openai==0.1.66
  openinference-instrumentation-langchain==0.1.80
  logfire-sdk==5.4.0
  sentry-sdk==2.75.0
  temporalio==1.35.0
  smolagents==1.26.0
  celery==5.7.0
  mlflow-skinny==3.18.0
)
NPM_PKGS=(
  @opentelemetry/instrumentation-kafkajs@0.33.0
  @opentelemetry/instrumentation-amqplib@0.71.0
  @opentelemetry/instrumentation-ioredis@0.72.0
  @opentelemetry/instrumentation-redis@0.72.0
  @opentelemetry/instrumentation-mysql2@0.70.0
  @opentelemetry/instrumentation-pg@0.77.0
  @opentelemetry/instrumentation-express@0.72.0
  @traceloop/node-server-sdk@0.27.0
)
CRATES=(tracing@0.1.44 tracing-futures@0.2.5 tracing-opentelemetry@0.34.0 opentelemetry_sdk@0.33.1 tonic@0.14.9 axum@0.8.9 tower-http@0.7.1)

keep_sources() { # dir: drop every file ctxlint does not read
  find "$1" -type f ! \( -name '*.py' -o -name '*.pyi' -o -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.ts' \
    -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' -o -name '*.jsx' -o -name '*.rs' -o -name 'package.json' \
    -o -name 'pyproject.toml' -o -name 'setup.py' -o -name 'setup.cfg' -o -name 'requirements*.txt' -o -name 'Pipfile' \
    -o -name 'Cargo.toml' -o -name '*.lock' \) -delete
}

into() { # tmpdir dest: move the archive's single top folder (or the whole of it) to dest
  local tmp="$1" dest="$2" top="$1"
  if [ "$(ls "$tmp" | wc -l)" = 1 ] && [ -d "$tmp/$(ls "$tmp")" ]; then top="$tmp/$(ls "$tmp")"; fi
  rm -rf "$dest"; mv "$top" "$dest"; rm -rf "$tmp"
  keep_sources "$dest"; touch "$dest/.done"
}

fetch_pypi() { # name==version: the sdist (it carries the tests, like a checkout), else the wheel
  local spec="$1" name="${1%%==*}" ver="${1##*==}" dest dl a tmp
  dest="$CORPUS/python/$name-$ver"; [ -e "$dest/.done" ] && return 0
  dl="$DL/pypi/$name-$ver"; mkdir -p "$dl"
  if ! ls "$dl"/* >/dev/null 2>&1; then
    pip download -q --no-deps --no-binary "$name" "$spec" -d "$dl" >"$dl.log" 2>&1 \
      || pip download -q --no-deps --only-binary :all: "$spec" -d "$dl" >>"$dl.log" 2>&1
  fi
  a="$(ls "$dl"/* | head -n1)"; tmp="$(mktemp -d)"
  case "$a" in *.tar.gz) tar -xzf "$a" -C "$tmp" ;; *.whl | *.zip) "$PY" -m zipfile -e "$a" "$tmp" ;; *) echo "unknown archive $a" >&2; return 1 ;; esac
  into "$tmp" "$dest"; echo "pypi   $spec"
}

fetch_npm() { # @scope/name@version
  local spec="$1" safe dest tmp
  safe="$(echo "$spec" | sed 's|^@||; s|/|__|; s|@|-|')"; dest="$CORPUS/js/$safe"; [ -e "$dest/.done" ] && return 0
  mkdir -p "$DL/npm/$safe"
  ls "$DL/npm/$safe"/*.tgz >/dev/null 2>&1 || (cd "$DL/npm/$safe" && npm pack --silent "$spec" >/dev/null 2>"$DL/npm/$safe.log")
  tmp="$(mktemp -d)"; tar -xzf "$DL/npm/$safe"/*.tgz -C "$tmp" --no-same-owner
  into "$tmp" "$dest"; echo "npm    $spec"
}

fetch_crate() { # name@version
  local name="${1%%@*}" ver="${1##*@}" dest file tmp
  dest="$CORPUS/rust/$name-$ver"; [ -e "$dest/.done" ] && return 0
  file="$DL/crates/$name-$ver.crate"
  [ -s "$file" ] || curl -sSf -o "$file" "https://static.crates.io/crates/$name/$name-$ver.crate"
  tmp="$(mktemp -d)"; tar -xzf "$file" -C "$tmp"
  into "$tmp" "$dest"; echo "crate  $name $ver"
}

for p in "${PYPI_PKGS[@]}"; do fetch_pypi "$p"; done
for p in "${NPM_PKGS[@]}"; do fetch_npm "$p"; done
for c in "${CRATES[@]}"; do fetch_crate "$c"; done
echo "corpus: $(find "$CORPUS" -type f -not -name .done | wc -l) files, $(du -sm "$CORPUS" | cut -f1) MB in $CORPUS" >&2
