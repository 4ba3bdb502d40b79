"""py/span-not-current, bad: `with tracer.start_span(...) as span:` does not make the span current (`Span.__enter__`
only ends it on exit), so a span started inside the block is parented to the enclosing request span, and so is one
started after `span = tracer.start_span(...)` while that span is open."""
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
    other = tracer.start_span("handle other")  # expect: py/span-not-current
    with tracer.start_as_current_span("other child"):
        pass
    other.end()

expect(
    parent_of("child") == "request" and parent_of("other child") == "request",
    "spans started while a `start_span` span is open are parented to the enclosing span, not to it",
)
