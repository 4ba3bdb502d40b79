"""The program good-auto-instrument.py runs under `opentelemetry-instrument`: it never calls
`ThreadingInstrumentor().instrument()` itself, hands work to a thread inside a span, and exits 0 when the thread's
span has that span as its parent."""
import os
import sys
import threading

from opentelemetry import trace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _runtime import memory_provider, parent_of  # noqa: E402

provider, exporter = memory_provider()
trace.set_tracer_provider(provider)
tracer = trace.get_tracer("ctxlint-witness")


def work():
    with tracer.start_as_current_span("thread"):
        pass


with tracer.start_as_current_span("request"):
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()

print(parent_of(exporter, "thread"))
