"""Runtime model, logfire: `logfire.configure(send_to_logfire=False)` (logfire 5.4.0, opentelemetry-sdk 1.45.2,
CPython 3.11) does not patch `threading.Thread` or `threading.Timer`: their spans are new traces (measured: ROOT for
both), so `threads_carry_context` stays false for a project that only configures logfire.
"""
import os
import sys
import threading

import logfire
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _runtime import expect_all, parent_of  # noqa: E402

exporter = InMemorySpanExporter()
logfire.configure(send_to_logfire=False, console=False, additional_span_processors=[SimpleSpanProcessor(exporter)])
tracer = trace.get_tracer("ctxlint-witness")


def work(name):
    with tracer.start_as_current_span(name):
        pass


def handle():
    with tracer.start_as_current_span("request"):
        thread = threading.Thread(target=work, args=("thread",))  # expect: py/executor-without-context
        thread.start()
        thread.join()
        timer = threading.Timer(0.01, work, args=("timer",))  # expect: py/executor-without-context
        timer.start()
        timer.join()


handle()
expect_all(
    [
        (parent_of(exporter, "thread") == "ROOT", "after logfire.configure(), Thread(target=f) loses the context (ROOT)"),
        (parent_of(exporter, "timer") == "ROOT", "after logfire.configure(), Timer(t, f) loses the context (ROOT)"),
    ]
)
