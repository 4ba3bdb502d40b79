"""py/executor-without-context, bad: ThreadPoolExecutor.submit runs the callable without the caller's context."""
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
            pool.submit(charge).result()  # expect: py/executor-without-context


handle()
expect(parent_of("charge") == "ROOT", "a span started in pool.submit(fn) is a new trace (ROOT)")
