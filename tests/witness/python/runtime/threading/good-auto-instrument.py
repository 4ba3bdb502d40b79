"""Runtime model, threading: `opentelemetry-instrument` activates every installed instrumentation, this one too
(opentelemetry-instrumentation 0.66b1 with opentelemetry-instrumentation-threading 0.66b1, opentelemetry-sdk
1.45.1, CPython 3.11): a program that never calls `ThreadingInstrumentor().instrument()` keeps the caller's span in
`Thread(target=f)` when launched as `opentelemetry-instrument python prog.py` (measured: parent "request"), and loses
it when launched as `python prog.py` (measured: ROOT). And `opentelemetry-bootstrap -a install` installs this
instrumentation by default (it is in `default_instrumentations`). So the model counts the instrumentation as active
where the project installs it and runs under `opentelemetry-instrument` (or its `auto_instrumentation` module).
"""
import os
import subprocess
import sys

from opentelemetry.instrumentation.bootstrap_gen import default_instrumentations

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _runtime import expect_all  # noqa: E402

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_auto_child.py")
LAUNCHER = os.path.join(os.path.dirname(sys.executable), "opentelemetry-instrument")

plain = subprocess.run([sys.executable, CHILD], capture_output=True, text=True, check=True).stdout.strip()
auto = subprocess.run([LAUNCHER, sys.executable, CHILD], capture_output=True, text=True, check=True).stdout.strip()
expect_all(
    [
        (plain == "ROOT", "without opentelemetry-instrument, Thread(target=f) loses the context (ROOT)"),
        (auto == "request", "under opentelemetry-instrument, Thread(target=f) keeps the caller's span as parent"),
        (
            any(r.startswith("opentelemetry-instrumentation-threading==") for r in default_instrumentations),
            "opentelemetry-bootstrap installs opentelemetry-instrumentation-threading by default",
        ),
    ]
)
