"""Runtime model, sentry: the default ThreadingIntegration of `sentry_sdk.init(...)` (sentry-sdk 2.75.0,
opentelemetry-sdk 1.45.2, CPython 3.11) carries Sentry's scopes into `Thread.start` and `ThreadPoolExecutor.submit`,
not the OpenTelemetry context: spans started there are new OpenTelemetry traces (measured: ROOT for both). So
sentry-sdk sets neither `threads_carry_context` nor `thread_pools_carry_context`.
"""
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import sentry_sdk
from opentelemetry import trace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _runtime import expect_all, memory_provider, parent_of  # noqa: E402
from _sentry import init  # noqa: E402

provider, exporter = memory_provider()
trace.set_tracer_provider(provider)
tracer = trace.get_tracer("ctxlint-witness")
integrations = init()


def work(name):
    with tracer.start_as_current_span(name):
        pass


def handle():
    with sentry_sdk.start_transaction(name="request"), tracer.start_as_current_span("request"):
        thread = threading.Thread(target=work, args=("thread",))  # expect: py/executor-without-context
        thread.start()
        thread.join()
        with ThreadPoolExecutor() as pool:
            pool.submit(work, "submit").result()  # expect: py/executor-without-context


handle()
expect_all(
    [
        ("threading" in integrations, "sentry_sdk.init enables ThreadingIntegration by default"),
        (parent_of(exporter, "thread") == "ROOT", "under Sentry's ThreadingIntegration, Thread(target=f) loses the OpenTelemetry context (ROOT)"),
        (parent_of(exporter, "submit") == "ROOT", "under Sentry's ThreadingIntegration, ThreadPoolExecutor.submit(f) loses the OpenTelemetry context (ROOT)"),
    ]
)
