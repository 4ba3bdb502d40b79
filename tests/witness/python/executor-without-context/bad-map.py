"""py/executor-without-context, bad: ThreadPoolExecutor.map runs each call without the caller's context."""
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


def charge(i):
    with tracer.start_as_current_span(f"charge-{i}"):
        time.sleep(0.05)  # the calls overlap: four threads at once
        return i


def handle():
    with tracer.start_as_current_span("handle"):
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(charge, range(4)))  # expect: py/executor-without-context


results = handle()
parents = [parent_of(f"charge-{i}") for i in range(4)]
expect(results == [0, 1, 2, 3] and parents == ["ROOT"] * 4, "every call of pool.map(fn, items) starts a new trace (ROOT)")
