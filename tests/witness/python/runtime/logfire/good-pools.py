"""Runtime model, logfire: `logfire.configure(send_to_logfire=False)` (logfire 5.4.0, opentelemetry-sdk 1.45.2,
CPython 3.11) patches `ThreadPoolExecutor.submit` and `ProcessPoolExecutor.submit` (its `instrument_executors()`):
`submit(f)`, `.map(f, ...)` and `loop.run_in_executor(None, f)` run `f` with the caller's span as parent, and a
`ProcessPoolExecutor` started with the `spawn` method runs `f` with the caller's span current in the child process
(it sends a W3C carrier along; measured). It does not patch `threading.Thread` or `Timer` (bad-threads.py).

So ctxlint's model sets `thread_pools_carry_context` and `process_pools_carry_context`, not `threads_carry_context`,
where the project installs logfire and calls `logfire.configure(...)`. The hand-offs stand at module level (under
the `__main__` guard the spawned children need) so that no version of the rules has a reason to flag them.
"""
import asyncio
import multiprocessing
import os
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import logfire
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _runtime import expect_all, parent_of  # noqa: E402


def work(name):
    with trace.get_tracer("ctxlint-witness").start_as_current_span(name):
        pass


def current_span_id():
    """Run in the child process: the span id current there (no SDK is configured in the child, the context is)."""
    return trace.get_current_span().get_span_context().span_id


if __name__ == "__main__":
    exporter = InMemorySpanExporter()
    logfire.configure(send_to_logfire=False, console=False, additional_span_processors=[SimpleSpanProcessor(exporter)])
    tracer = trace.get_tracer("ctxlint-witness")
    with tracer.start_as_current_span("request") as request:
        with ThreadPoolExecutor() as pool:
            pool.submit(work, "submit").result()
            list(pool.map(work, ["map"]))
        loop = asyncio.new_event_loop()
        loop.run_until_complete(loop.run_in_executor(None, work, "run_in_executor"))
        loop.close()
        # the in-memory exporter cannot be pickled for the child: logfire warns that the child gets no configuration
        with warnings.catch_warnings(), ProcessPoolExecutor(mp_context=multiprocessing.get_context("spawn")) as processes:
            warnings.simplefilter("ignore")
            child_span = processes.submit(current_span_id).result()
    claims = [
        (parent_of(exporter, name) == "request", f"after logfire.configure(), {how} keeps the caller's span as parent")
        for name, how in [
            ("submit", "ThreadPoolExecutor.submit(f)"),
            ("map", "ThreadPoolExecutor.map(f, ...)"),
            ("run_in_executor", "loop.run_in_executor(None, f)"),
        ]
    ]
    claims.append(
        (
            child_span == request.get_span_context().span_id,
            "after logfire.configure(), ProcessPoolExecutor(spawn).submit(f) runs f with the caller's span current",
        )
    )
    expect_all(claims)
