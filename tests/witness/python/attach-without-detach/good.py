"""py/attach-without-detach, good: the detach in `finally:` runs on the exception path too."""
import os
import sys

from opentelemetry import context, trace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


def process(message):
    raise RuntimeError(f"cannot process {message}")


def consume(message):
    span = tracer.start_span("consume")
    token = context.attach(trace.set_span_in_context(span))
    try:
        process(message)
    finally:
        context.detach(token)
        span.end()


try:
    consume("order-1")
except RuntimeError:
    pass
with tracer.start_as_current_span("later_unrelated"):
    pass
expect(parent_of("later_unrelated") == "ROOT", "after the exception, later spans have no leaked parent")
