"""py/span-not-current, bad: after `span = tracer.start_span(...)`, while that span is open, a span started without its
context is parented to the enclosing request span."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of  # noqa: E402

from opentelemetry import trace  # noqa: E402

tracer = trace.get_tracer("handler")

with tracer.start_as_current_span("request"):
    other = tracer.start_span("handle other")  # expect: py/span-not-current
    with tracer.start_as_current_span("other child"):
        pass
    other.end()

expect(parent_of("other child") == "request", "a span started while a `start_span` span is open is parented to the enclosing span")
