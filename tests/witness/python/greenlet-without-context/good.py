"""py/greenlet-without-context, good: spawning `ctx.run` of a context copied in the caller runs the greenlet in the
caller's context, so its spans are children of the span that spawned it."""
import contextvars
import os
import sys

import gevent

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


def work():
    with tracer.start_as_current_span("greenlet work"):
        pass


with tracer.start_as_current_span("request"):
    ctx = contextvars.copy_context()
    gevent.spawn(ctx.run, work).join()

expect(parent_of("greenlet work") == "request", "the greenlet's span is a child of the spawning span")
