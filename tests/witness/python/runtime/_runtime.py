"""Shared helpers of the runtime-model witnesses (tests/witness/python/runtime/<sdk>/): each directory pins one SDK or
instrumentation in its own requirements.txt (run.sh gives it its own venv), and its programs show what that package
really carries across threads, pools and child processes once activated. ctxlint's Python runtime model
(src/pymodel/) sets a fact only where a program here shows it.

Unlike ../_witness.py this sets no global TracerProvider on import: logfire.configure() installs its own.
"""
import os
import sys

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


def memory_provider():
    """A TracerProvider exporting to memory, and its exporter."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def parent_of(exporter, name):
    """The name of the finished span `name`'s parent, 'ROOT' for none, or None if `name` never finished."""
    spans = {s.name: s for s in exporter.get_finished_spans()}
    child = spans.get(name)
    if child is None:
        return None
    if child.parent is None:
        return "ROOT"
    for s in spans.values():
        if s.context.span_id == child.parent.span_id:
            return s.name
    return "unknown"


def expect_all(claims):
    """Exit 0 if every (holds, claim) pair holds, 1 otherwise, printing each."""
    program = os.path.relpath(os.path.abspath(sys.argv[0]), os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    failed = [claim for holds, claim in claims if not holds]
    for holds, claim in claims:
        print(f"{'witness ok' if holds else 'WITNESS FAILED'}: {program}: {claim}", file=sys.stdout if holds else sys.stderr)
    sys.exit(1 if failed else 0)
