"""py/executor-without-context, bad: one copied Context shared by concurrent calls: entering it in a second thread
while the first runs raises RuntimeError("cannot enter context")."""
import contextvars
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


def charge(i):
    with tracer.start_as_current_span(f"charge-{i}"):
        time.sleep(0.05)
        return i


def handle():
    errors = []
    with tracer.start_as_current_span("handle"):
        ctx = contextvars.copy_context()
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = [pool.submit(ctx.run, charge, i) for i in range(4)]  # expect: py/executor-without-context
            for f in futures:
                try:
                    f.result()
                except RuntimeError as e:
                    errors.append(str(e))
    return errors


errors = handle()
expect(any("cannot enter context" in e for e in errors), "submits sharing one Context fail with `cannot enter context`")
