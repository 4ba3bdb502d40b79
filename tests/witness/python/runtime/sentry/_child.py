"""The child process of bad-subprocess.py: an OpenTelemetry program that extracts the W3C context from its whole
environment (names lower-cased, so TRACEPARENT counts), starts a span and prints, as JSON, its trace id and the
trace-related variables it was given."""
import json
import os

from opentelemetry import propagate, trace
from opentelemetry.sdk.trace import TracerProvider

trace.set_tracer_provider(TracerProvider())
carrier = {k.lower(): v for k, v in os.environ.items()}
with trace.get_tracer("child").start_as_current_span("child work", context=propagate.extract(carrier)) as span:
    given = {k: v for k, v in os.environ.items() if any(w in k for w in ("TRACE", "BAGGAGE", "SENTRY"))}
    print(json.dumps({"trace_id": format(span.get_span_context().trace_id, "032x"), "env": given}))
