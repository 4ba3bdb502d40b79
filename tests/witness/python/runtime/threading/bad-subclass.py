"""Runtime model, threading: a `threading.Thread` subclass that defines its own `run()` is NOT covered by
`ThreadingInstrumentor().instrument()` (opentelemetry-instrumentation-threading 0.66b1, opentelemetry-sdk 1.45.1,
CPython 3.11): the instrumentation wraps `Thread.run` on the class, and the subclass's `run` replaces it, so the
context captured at `start()` is never attached (measured: the span the subclass starts is ROOT). A model where
threads carry the context must still let py/executor-without-context flag such subclasses.
"""
import os
import sys
import threading

from opentelemetry import trace
from opentelemetry.instrumentation.threading import ThreadingInstrumentor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _runtime import expect_all, memory_provider, parent_of  # noqa: E402

provider, exporter = memory_provider()
trace.set_tracer_provider(provider)
tracer = trace.get_tracer("ctxlint-witness")
ThreadingInstrumentor().instrument()


class Refresher(threading.Thread):
    def run(self):
        with tracer.start_as_current_span("refresh"):
            pass


def handle():
    with tracer.start_as_current_span("request"):
        worker = Refresher()  # expect: py/executor-without-context
        worker.start()
        worker.join()


handle()
expect_all([(parent_of(exporter, "refresh") == "ROOT", "a Thread subclass with its own run() loses the context even under ThreadingInstrumentor (ROOT)")])
