"""py/greenlet-without-context, bad: without monkey-patching, a greenlet spawned by gevent starts with an empty
contextvars context (greenlet >= 1.0), so the spans it starts are new traces (ROOT), not children of the span that
spawned it."""
import os
import sys

import gevent

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


def work():
    with tracer.start_as_current_span("greenlet work"):
        pass


with tracer.start_as_current_span("request"):
    gevent.spawn(work).join()  # expect: py/greenlet-without-context

expect(parent_of("greenlet work") == "ROOT", "the greenlet's span is a new trace (ROOT)")
