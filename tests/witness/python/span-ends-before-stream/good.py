"""py/span-ends-before-stream, good: the stream is wrapped so that its span ends in the generator's `finally`, after
the caller consumed it, and the streaming work's spans are started in the span's context."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import EXPORTER, expect, parent_of, tracer  # noqa: E402

from opentelemetry import trace  # noqa: E402


def chunks(ctx):
    for i in range(2):
        with tracer.start_as_current_span("chunk", context=ctx):
            item = i
        yield item


def stream():
    span = tracer.start_span("llm call")

    def wrapped():
        try:
            yield from chunks(trace.set_span_in_context(span))
        finally:
            span.end()

    return wrapped()


with tracer.start_as_current_span("request"):
    for _ in stream():
        pass

spans = {s.name: s for s in EXPORTER.get_finished_spans()}
expect(
    parent_of("chunk") == "llm call" and spans["llm call"].end_time >= spans["chunk"].end_time,
    "the streamed work is under the span, which ends after it",
)
