"""py/process-without-inject, good: injecting the context into the child's environment continues the trace."""
import os
import subprocess
import sys

from opentelemetry.propagate import inject

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, tracer  # noqa: E402

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_child.py")


def export_report():
    with tracer.start_as_current_span("export report") as span:
        carrier = {}
        inject(carrier)
        env = {**os.environ, **{k.upper(): v for k, v in carrier.items()}}
        out = subprocess.run([sys.executable, CHILD], env=env, capture_output=True, text=True, check=True)
        return format(span.get_span_context().trace_id, "032x"), out.stdout.strip()


parent, child = export_report()
expect(child == parent, "the child's span continues the parent's trace")
