"""Runtime model, sentry: `sentry_sdk.init(...)` (sentry-sdk 2.75.0, opentelemetry-sdk 1.45.2, CPython 3.11) with its
default StdlibIntegration patches `subprocess.Popen` to put `SUBPROCESS_SENTRY_TRACE` and `SUBPROCESS_BAGGAGE`
(Sentry's own trace id and `sentry-` baggage) into the child's environment — never `TRACEPARENT`, and Sentry's trace id
is not the OpenTelemetry span's (measured). A child OpenTelemetry SDK that extracts W3C context from its environment
finds nothing and starts a new trace (measured). So `subprocess_env_injected` is NOT set by sentry-sdk for
OpenTelemetry traces, and py/process-without-inject still holds in a project that initialises Sentry.
"""
import json
import os
import subprocess
import sys

import sentry_sdk
from opentelemetry import trace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _runtime import expect_all, memory_provider  # noqa: E402
from _sentry import init  # noqa: E402

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_child.py")

provider, exporter = memory_provider()
trace.set_tracer_provider(provider)
tracer = trace.get_tracer("ctxlint-witness")
integrations = init()


def export_report():
    with sentry_sdk.start_transaction(name="export report"), tracer.start_as_current_span("export report") as span:
        env = {k: v for k, v in os.environ.items() if k != "TRACEPARENT"}
        out = subprocess.run([sys.executable, CHILD], env=env, capture_output=True, text=True, check=True)  # expect: py/process-without-inject
        return format(span.get_span_context().trace_id, "032x"), json.loads(out.stdout)


parent, child = export_report()
sentry_trace = child["env"].get("SUBPROCESS_SENTRY_TRACE", "")
expect_all(
    [
        ("stdlib" in integrations, "sentry_sdk.init enables StdlibIntegration by default"),
        (bool(sentry_trace), "the child's environment gets SUBPROCESS_SENTRY_TRACE"),
        ("SUBPROCESS_BAGGAGE" in child["env"], "the child's environment gets SUBPROCESS_BAGGAGE"),
        ("TRACEPARENT" not in child["env"], "the child's environment gets no TRACEPARENT"),
        (not sentry_trace.startswith(parent), "Sentry's trace id is not the OpenTelemetry trace id"),
        (child["trace_id"] != parent, "the child's OpenTelemetry span belongs to a new trace"),
    ]
)
