#!/usr/bin/env python3
"""Time from `textDocument/didChange` to its `publishDiagnostics` in `ctxlint server`, on a 2,000-line Python file
with findings: the median (and p90, max) over EDITS edits, each one a new version of the whole text (full sync).

    python3 bench/lsp/didchange.py PATH/TO/ctxlint [EDITS]   # bench/lsp/run.sh builds it and passes it

Fails (exit 1) when an edit gets no diagnostics for its version, or they are not the expected findings."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

LINES = 2000


def source(edit):
    """A 2,000-line module: plain functions, and every 50 lines one dropped asyncio task (a py/dangling-task finding);
    edit `edit` changes one constant, so every version is a new text."""
    out = ["import asyncio", "", ""]
    i = 0
    while len(out) < LINES - 4:
        if i % 12 == 0:
            out += [f"async def handler_{i}(request):", "    asyncio.create_task(work(request))", "", ""]
        else:
            out += [f"def helper_{i}(x):", f"    return x + {i}", "", ""]
        i += 1
    out += [f"EDIT = {edit}", ""]
    return "\n".join(out[:LINES]) + "\n"


def main():
    binary = sys.argv[1]
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    work = tempfile.mkdtemp()
    path = os.path.join(work, "module.py")
    uri = "file://" + path
    server = subprocess.Popen([binary, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(message):
        body = json.dumps(dict(message, jsonrpc="2.0")).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def receive():
        length = None
        while True:
            line = server.stdout.readline()
            if not line:
                sys.exit("lsp bench: the server exited")
            if line == b"\r\n":
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(server.stdout.read(length))

    def diagnostics_of(version):
        while True:
            m = receive()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version:
                return m["params"]["diagnostics"]

    send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": "file://" + work, "capabilities": {}}})
    while receive().get("id") != 1:
        pass
    send({"method": "initialized", "params": {}})
    text = source(0)
    assert text.count("\n") == LINES
    expected = text.count("asyncio.create_task(")
    send({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
    diagnostics_of(1)
    times = []
    for n in range(edits):
        version = n + 2
        text = source(version)
        start = time.perf_counter()
        send({"method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}})
        found = diagnostics_of(version)
        times.append((time.perf_counter() - start) * 1000)
        codes = [d["code"] for d in found]
        if codes != ["py/dangling-task"] * expected:
            sys.exit(f"lsp bench: version {version}: expected {expected} py/dangling-task findings, got {codes}")
    send({"id": 2, "method": "shutdown"})
    while receive().get("id") != 2:
        pass
    send({"method": "exit"})
    server.wait(timeout=10)
    times.sort()
    p90 = times[int(len(times) * 0.9) - 1]
    print(
        f"didChange -> publishDiagnostics, {LINES}-line Python file, {expected} findings, {edits} edits: "
        f"median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
