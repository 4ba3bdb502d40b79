"""Shared setup of the Python witnesses: one TracerProvider exporting to memory, and the assertion helper.

Every witness program ends with `expect(condition, claim)`: it exits 0 when the runtime behaves as the rule says
(the bad pattern loses or leaks the context, the fix keeps it) and 1 otherwise, so an SDK release that changes the
behaviour fails CI instead of silently making a rule wrong.
"""
import logging
import os
import sys

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

EXPORTER = InMemorySpanExporter()
_provider = TracerProvider()
_provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
trace.set_tracer_provider(_provider)
tracer = trace.get_tracer("ctxlint-witness")

# asyncio's "Task was destroyed" and OpenTelemetry's "Failed to detach context" are part of what the bad programs
# show; keep them off stderr.
logging.getLogger("asyncio").setLevel(logging.CRITICAL)
logging.getLogger("opentelemetry.context").setLevel(logging.CRITICAL)


def parent_of(name):
    """The name of the finished span `name`'s parent, 'ROOT' for none, or None if `name` never finished."""
    spans = {s.name: s for s in EXPORTER.get_finished_spans()}
    child = spans.get(name)
    if child is None:
        return None
    if child.parent is None:
        return "ROOT"
    for s in spans.values():
        if s.context.span_id == child.parent.span_id:
            return s.name
    return "unknown"


def parent_id_of(name):
    """The parent span id of the finished span `name` (None for a root or an unknown span)."""
    for s in EXPORTER.get_finished_spans():
        if s.name == name:
            return s.parent.span_id if s.parent is not None else None
    return None


def expect(holds, claim):
    """Exit 0 if the runtime fact `claim` holds, 1 otherwise."""
    program = os.path.relpath(os.path.abspath(sys.argv[0]), os.path.dirname(os.path.abspath(__file__)))
    if holds:
        print(f"witness ok: {program}: {claim}")
        sys.exit(0)
    print(f"WITNESS FAILED: {program}: expected that {claim}", file=sys.stderr)
    sys.exit(1)
