"""py/attach-without-detach, bad: an exception skips the detach and the context leaks into later, unrelated spans."""
import os
import sys

from opentelemetry import context, trace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_id_of, parent_of, tracer  # noqa: E402

STARTED = []


def process(message):
    raise RuntimeError(f"cannot process {message}")


def consume(message):
    span = tracer.start_span("consume")
    STARTED.append(span)
    token = context.attach(trace.set_span_in_context(span))  # expect: py/attach-without-detach
    process(message)
    context.detach(token)
    span.end()


try:
    consume("order-1")
except RuntimeError:
    pass
with tracer.start_as_current_span("later_unrelated"):
    pass
leaked = STARTED[0].get_span_context().span_id
expect(parent_id_of("later_unrelated") == leaked, "a later, unrelated span gets the leaked (never ended) span as parent")
