#!/usr/bin/env bash
# `ctxlint server` with real clients: (a) pytest-lsp (PyPI) drives the binary with the captured client capabilities of
# VS Code and Neovim (tests/lsp/test_server.py); (b) headless Neovim (Debian's `neovim`, 0.7) opens a file, receives
# the diagnostic, applies the quick fix and writes the file (tests/lsp/nvim_fix.lua), and this script checks the
# written file. Installs what is missing (PyPI, Debian); any failure fails the script, nothing is skipped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cargo_exe() { python3 "$root/tests/lib/cargo_exe.py" "$1"; }

built="$(cargo build --quiet --locked --bin ctxlint --message-format=json --manifest-path "$root/Cargo.toml")"
export CTXLINT_BIN="$(cargo_exe ctxlint <<<"$built")"
target_dir="$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"

# (a) pytest-lsp
venv="$target_dir/lsp-venv"
[ -x "$venv/bin/pytest" ] && "$venv/bin/python" -c 'import pytest_lsp' 2>/dev/null || {
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check pytest-lsp==1.0.1
}
(cd "$here" && "$venv/bin/python" -m pytest -p no:cacheprovider -q -o asyncio_default_fixture_loop_scope=function test_server.py)

# (b) headless Neovim
if ! command -v nvim >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq neovim >/dev/null
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
file="$work/consumer.py"
printf 'from opentelemetry import context\n\n\ndef consume(message):\n    token = context.attach(message)\n    process(message)\n    context.detach(token)\n' > "$file"
if ! CTXLINT_FILE="$file" timeout 120 nvim --headless --clean -c "luafile $here/nvim_fix.lua" </dev/null; then
  echo "lsp: headless Neovim did not apply the quick fix" >&2
  exit 1
fi
expected='from opentelemetry import context


def consume(message):
    token = context.attach(message)
    try:
        process(message)
    finally:
        context.detach(token)'
if [ "$(cat "$file")" != "$expected" ]; then
  echo "lsp: the file Neovim wrote is not the fixed one:" >&2
  cat "$file" >&2
  exit 1
fi
# and the fixed file has no finding left, by the command line
"$CTXLINT_BIN" --quiet "$file"
echo "lsp: pytest-lsp (VS Code, Neovim 0.11 and 0.7 capabilities) and headless Neovim $(nvim --version | head -1 | cut -d' ' -f2): ok"
