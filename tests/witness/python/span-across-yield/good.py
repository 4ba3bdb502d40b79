"""py/span-across-yield, good: ending the span before the `yield` leaves the caller's context alone."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


def rows():
    for i in range(2):
        with tracer.start_as_current_span("fetch row"):
            row = i
        yield row


with tracer.start_as_current_span("report"):
    for row in rows():
        with tracer.start_as_current_span("render row"):
            pass

expect(parent_of("render row") == "report", "the caller's span is a child of the caller's own span")
