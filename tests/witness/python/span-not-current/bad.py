"""py/span-not-current, bad: `with tracer.start_span(...) as span:` does not make the span current (`Span.__enter__`
only ends it on exit), so a span started inside the block is parented to the enclosing request span."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of  # noqa: E402

from opentelemetry import trace  # noqa: E402

tracer = trace.get_tracer("handler")

with tracer.start_as_current_span("request"):
    with tracer.start_span("handle") as span:  # expect: py/span-not-current
        with tracer.start_as_current_span("child"):
            pass

expect(parent_of("child") == "request", "a span started in a `with start_span` block is parented to the enclosing span, not to it")
