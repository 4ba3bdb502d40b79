#!/usr/bin/env bash
# The fixed fixtures are real code: every `*.fixed.py` must compile under CPython (which also rejects an import placed
# above `from __future__`), every `*.fixed.{js,cjs,mjs}` must pass `node --check`, and the Rust `.fixed` fixtures
# written to compile must pass `cargo check` against the real tracing / opentelemetry crates. Fails, never skips.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in python3 node cargo; do
  command -v "$tool" >/dev/null || { echo "fix-compile: $tool is required" >&2; exit 1; }
done

mapfile -t py < <(find tests/fixtures -name '*.fixed.py' | sort)
mapfile -t js < <(find tests/fixtures -name '*.fixed.js' -o -name '*.fixed.cjs' -o -name '*.fixed.mjs' | sort)
[ "${#py[@]}" -gt 0 ] && [ "${#js[@]}" -gt 0 ] || { echo "fix-compile: no fixed fixtures found" >&2; exit 1; }

python3 - "${py[@]}" <<'PY'
import sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        compile(f.read(), path, "exec", dont_inherit=True)
print(f"fix-compile: {len(sys.argv) - 1} Python files compile")
PY

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for f in "${js[@]}"; do
  # ES module syntax in a .js file: check it as a module
  name="$(echo "$f" | tr '/' '_')"
  case "$f" in
    *.cjs) cp "$f" "$tmp/$name" ;;
    *) if grep -qE '^\s*(import|export)\b' "$f"; then cp "$f" "$tmp/${name%.*}.mjs"; else cp "$f" "$tmp/$name"; fi ;;
  esac
done
for f in "$tmp"/*; do node --check "$f"; done
echo "fix-compile: ${#js[@]} JavaScript files parse under node $(node --version)"

(cd tests/fix_compile/rust && cargo check --locked --all-targets --quiet)
echo "fix-compile: the Rust fixed fixtures compile"
