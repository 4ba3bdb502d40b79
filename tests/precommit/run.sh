#!/usr/bin/env bash
# Tests the pre-commit hook with the real pre-commit (PyPI): in a fresh git repository, `pre-commit try-repo` on this
# checkout must fail on a file with a finding (and show the finding), then pass once the file is fixed. pre-commit
# builds ctxlint with `cargo install` (language: rust), so this needs the crates.io registry. Skipped locally with
# CTXLINT_SKIP_PRECOMMIT=1 (offline); never skipped in CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -n "${CTXLINT_SKIP_PRECOMMIT:-}" ] && [ -z "${CI:-}" ]; then
  echo "pre-commit: skipped (CTXLINT_SKIP_PRECOMMIT is set)"
  exit 0
fi
venv="$root/target/precommit-venv"
[ -x "$venv/bin/pre-commit" ] || {
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check pre-commit==4.3.0
}
export PRE_COMMIT_HOME="$root/target/precommit-home"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q
git config user.email ci@example.com
git config user.name ci
printf 'import asyncio\n\n\nasync def handle(request):\n    asyncio.create_task(send_receipt(request))\n' > app.py
git add app.py

if "$venv/bin/pre-commit" try-repo "$root" ctxlint --all-files > bad.log 2>&1; then
  cat bad.log
  echo "pre-commit: the hook passed on a file with a finding" >&2
  exit 1
fi
if ! grep -q "py/dangling-task" bad.log; then
  cat bad.log
  echo "pre-commit: the hook failed without showing the finding" >&2
  exit 1
fi

printf 'import asyncio\n\n\nasync def handle(request):\n    await asyncio.create_task(send_receipt(request))\n' > app.py
git add app.py
if ! "$venv/bin/pre-commit" try-repo "$root" ctxlint --all-files > good.log 2>&1; then
  cat good.log
  echo "pre-commit: the hook failed on a clean file" >&2
  exit 1
fi
echo "pre-commit: the hook fails on the finding and passes once it is fixed"
