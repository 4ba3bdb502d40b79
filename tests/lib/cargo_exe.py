#!/usr/bin/env python3
"""Prints the executable cargo built for the target named by argv[1] (a bin or an example), read from
`cargo build --message-format=json` on stdin: wherever CARGO_TARGET_DIR or a config puts it, never a stale ./target.
Used by tests/witness/run.sh, tests/sarif/validate.sh and bench/run.sh."""
import json
import sys

for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == sys.argv[1] and m.get("executable"):
        print(m["executable"])
        break
else:
    sys.exit("cargo built no executable named " + sys.argv[1])
