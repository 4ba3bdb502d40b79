"""py/process-without-inject, bad: a child process shares nothing with its parent's context; started without a
carrier, its spans are a new trace even when it knows how to extract one."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, tracer  # noqa: E402

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_child.py")


def export_report():
    with tracer.start_as_current_span("export report") as span:
        env = {k: v for k, v in os.environ.items() if k != "TRACEPARENT"}
        out = subprocess.run([sys.executable, CHILD], env=env, capture_output=True, text=True, check=True)  # expect: py/process-without-inject
        return format(span.get_span_context().trace_id, "032x"), out.stdout.strip()


parent, child = export_report()
expect(child != parent, "the child's span belongs to a new trace")
