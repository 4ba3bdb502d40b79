"""py/executor-without-context, good: the callable runs in a copy of the caller's context."""
import contextvars
import os
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


def charge():
    with tracer.start_as_current_span("charge"):
        pass


def handle():
    with tracer.start_as_current_span("handle"):
        with ThreadPoolExecutor() as pool:
            pool.submit(contextvars.copy_context().run, charge).result()


handle()
expect(parent_of("charge") == "handle", "pool.submit(copy_context().run, fn) keeps the caller's span as parent")
