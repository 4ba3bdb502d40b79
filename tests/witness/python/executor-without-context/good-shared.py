"""py/executor-without-context, good: each submit runs in its own copy of the copied context (`ctx.copy().run`): no
"cannot enter context", and every span is a child of the caller's."""
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
            futures = [pool.submit(ctx.copy().run, charge, i) for i in range(4)]
            for f in futures:
                try:
                    f.result()
                except RuntimeError as e:
                    errors.append(str(e))
    return errors


errors = handle()
expect(not errors and all(parent_of(f"charge-{i}") == "handle" for i in range(4)), "one copy per submit: no error, 4 children of `handle`")
