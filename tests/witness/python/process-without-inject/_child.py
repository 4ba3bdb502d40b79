"""The child process of the process-without-inject witnesses: continues the carrier in TRACEPARENT (if any), starts a
span and prints its trace id."""
import os

from opentelemetry import propagate, trace
from opentelemetry.sdk.trace import TracerProvider

trace.set_tracer_provider(TracerProvider())
carrier = {"traceparent": os.environ["TRACEPARENT"]} if "TRACEPARENT" in os.environ else {}
with trace.get_tracer("child").start_as_current_span("child work", context=propagate.extract(carrier)) as span:
    print(format(span.get_span_context().trace_id, "032x"))
