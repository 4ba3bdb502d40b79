"""py/span-not-current, good: `start_as_current_span` (or an explicit `context=set_span_in_context(span)`, or
`use_span`) makes the spans started in the block children of the span."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402

from opentelemetry import trace  # noqa: E402

with tracer.start_as_current_span("request"):
    with tracer.start_as_current_span("handle"):
        with tracer.start_as_current_span("child"):
            pass
    other = tracer.start_span("handle other")
    with tracer.start_as_current_span("other child", context=trace.set_span_in_context(other)):
        pass
    with trace.use_span(other, end_on_exit=True):
        with tracer.start_as_current_span("used child"):
            pass

expect(
    parent_of("child") == "handle" and parent_of("other child") == "handle other" and parent_of("used child") == "handle other",
    "spans started under `start_as_current_span`, `context=set_span_in_context(span)` or `use_span(span)` are its children",
)
