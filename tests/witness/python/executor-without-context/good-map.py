"""py/executor-without-context, good: each call of pool.map runs in its own copy of the caller's context, so every
span is a child of the caller's and no call fails with "cannot enter context" (the calls overlap)."""
import contextvars
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
            ctx = contextvars.copy_context()
            return list(pool.map(lambda *a: ctx.copy().run(charge, *a), range(4)))


results = handle()
parents = [parent_of(f"charge-{i}") for i in range(4)]
expect(results == [0, 1, 2, 3] and parents == ["handle"] * 4, "each call of pool.map runs in a copy of the caller's context: 4 children of `handle`")
