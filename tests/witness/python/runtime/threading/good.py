"""Runtime model, threading: after `ThreadingInstrumentor().instrument()` (opentelemetry-instrumentation-threading
0.66b1, opentelemetry-sdk 1.45.1, CPython 3.11), `threading.Thread(target=f)`, `threading.Timer(t, f)`,
`ThreadPoolExecutor().submit(f)`, `.map(f, ...)` and `loop.run_in_executor(None, f)` all run `f` with the caller's
span as the parent of the spans it starts (measured: every one's parent is "request"). The instrumentation wraps
`Thread.start`/`Thread.run`, `Timer.start`/`Timer.run` and `ThreadPoolExecutor.submit`; `map` and the event loop's
default executor go through `submit`.

So ctxlint's model sets `threads_carry_context` (and `thread_pools_carry_context`) where the project installs this
instrumentation and activates it. The hand-offs stand at module level so that no version of
py/executor-without-context has a reason to flag them; a Thread subclass with its own `run()` is not covered
(bad-subclass.py).
"""
import asyncio
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from opentelemetry import trace
from opentelemetry.instrumentation.threading import ThreadingInstrumentor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _runtime import expect_all, memory_provider, parent_of  # noqa: E402

provider, exporter = memory_provider()
trace.set_tracer_provider(provider)
tracer = trace.get_tracer("ctxlint-witness")
ThreadingInstrumentor().instrument()


def work(name):
    with tracer.start_as_current_span(name):
        pass


with tracer.start_as_current_span("request"):
    thread = threading.Thread(target=work, args=("thread",))
    thread.start()
    thread.join()
    timer = threading.Timer(0.01, work, args=("timer",))
    timer.start()
    timer.join()
    with ThreadPoolExecutor() as pool:
        pool.submit(work, "submit").result()
        list(pool.map(work, ["map"]))
    loop = asyncio.new_event_loop()
    loop.run_until_complete(loop.run_in_executor(None, work, "run_in_executor"))
    loop.close()

expect_all(
    [(parent_of(exporter, name) == "request", f"under ThreadingInstrumentor, {how} keeps the caller's span as parent")
     for name, how in [
         ("thread", "Thread(target=f)"),
         ("timer", "Timer(t, f)"),
         ("submit", "ThreadPoolExecutor.submit(f)"),
         ("map", "ThreadPoolExecutor.map(f, ...)"),
         ("run_in_executor", "loop.run_in_executor(None, f)"),
     ]]
)
