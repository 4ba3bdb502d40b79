"""py/span-across-yield, bad: a generator that yields inside `with start_as_current_span` leaves its span current in
the caller between items, so the caller's own spans get the generator's span as parent."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


def rows():
    for i in range(2):
        with tracer.start_as_current_span("fetch row"):  # expect: py/span-across-yield
            yield i


with tracer.start_as_current_span("report"):
    for row in rows():
        with tracer.start_as_current_span("render row"):
            pass

expect(parent_of("render row") == "fetch row", "the caller's span is parented to the generator's span")
