"""py/span-ends-before-stream, bad: a function that returns a generator from inside its span `with` block ends the
span before the caller pulls the first item: the spans started while streaming are not its children, and the span
ends before the streaming work."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import EXPORTER, expect, parent_of, tracer  # noqa: E402


def chunks():
    for i in range(2):
        with tracer.start_as_current_span("chunk"):
            item = i
        yield item


def stream():
    with tracer.start_as_current_span("llm call"):
        return chunks()  # expect: py/span-ends-before-stream


with tracer.start_as_current_span("request"):
    for _ in stream():
        pass

spans = {s.name: s for s in EXPORTER.get_finished_spans()}
expect(
    parent_of("chunk") == "request" and spans["llm call"].end_time < spans["chunk"].start_time,
    "the streamed work is not under the span, which ended before it started",
)
