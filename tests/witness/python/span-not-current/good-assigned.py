"""py/span-not-current, good: `context=set_span_in_context(span)` or `use_span(span)` makes the spans started while an
assigned span is open its children."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of  # noqa: E402

from opentelemetry import trace  # noqa: E402

tracer = trace.get_tracer("handler")

with tracer.start_as_current_span("request"):
    other = tracer.start_span("handle other")
    with tracer.start_as_current_span("other child", context=trace.set_span_in_context(other)):
        pass
    with trace.use_span(other, end_on_exit=True):
        with tracer.start_as_current_span("used child"):
            pass

expect(parent_of("other child") == "handle other" and parent_of("used child") == "handle other", "spans started with its context or under `use_span` are its children")
