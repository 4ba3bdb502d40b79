"""py/span-not-current, good: `with tracer.start_as_current_span(...)` makes the spans started in the block children of
the span."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of  # noqa: E402

from opentelemetry import trace  # noqa: E402

tracer = trace.get_tracer("handler")

with tracer.start_as_current_span("request"):
    with tracer.start_as_current_span("handle"):
        with tracer.start_as_current_span("child"):
            pass

expect(parent_of("child") == "handle", "a span started in a `with start_as_current_span` block is its child")
