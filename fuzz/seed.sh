#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from the test fixtures (fuzz/corpus/<target>/, not committed): each
# fixture prefixed with the byte that makes the target read it as its language.
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
import hashlib, os, pathlib
fixtures = sorted(p for p in pathlib.Path("../tests/fixtures").rglob("*") if p.is_file())
# index into each target's FILES table
lint = {".js": 0, ".mjs": 1, ".cjs": 0, ".ts": 2, ".tsx": 3, ".py": 4, ".rs": 5, ".jsx": 6, ".pyi": 7}
fix = {".js": 0, ".mjs": 0, ".cjs": 0, ".jsx": 0, ".ts": 1, ".tsx": 2, ".py": 3, ".pyi": 3, ".rs": 4}
def put(target, data):
    d = pathlib.Path("corpus") / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)
n = 0
for p in fixtures:
    data = p.read_bytes()
    if p.suffix in lint:
        for high in (0x00, 0x80):
            put("lint", bytes([lint[p.suffix] | high]) + data)
            put("fix", bytes([fix[p.suffix] | high]) + data)
        n += 1
    for line in data.decode("utf-8", "replace").splitlines():
        if "ctxlint-ignore" in line:
            put("suppression", line.encode())
for p in [pathlib.Path("../ctxlint.toml"), *pathlib.Path("../tests").rglob("*.toml")]:
    if p.is_file():
        put("config", b"\x00" + p.read_bytes())
        put("config", b"\x01" + p.read_bytes())
import re
for block in re.findall(r"```toml\n(.*?)```", pathlib.Path("../README.md").read_text(), re.S):
    put("config", b"\x00" + block.encode())
    put("config", b"\x01" + ("[tool.ctxlint]\n" + block).encode())
print(f"seeded from {n} fixtures:", {t.name: len(list(t.iterdir())) for t in pathlib.Path('corpus').iterdir()})
PY
