"""py/background-task-in-span, good: handing the task `get_current()` and starting its span with `context=ctx` keeps
it in the request's trace."""
import os
import sys
import warnings

from opentelemetry import context as otel_context
from starlette.applications import Starlette
from starlette.background import BackgroundTasks
from starlette.responses import PlainTextResponse
from starlette.routing import Route

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


async def send_receipt(order_id, ctx):
    with tracer.start_as_current_span("send receipt", context=ctx):
        pass


async def checkout(request):
    tasks = BackgroundTasks()
    with tracer.start_as_current_span("checkout"):
        tasks.add_task(send_receipt, "order-1", otel_context.get_current())
        return PlainTextResponse("ok", background=tasks)


with TestClient(Starlette(routes=[Route("/", checkout)])) as client:
    assert client.get("/").status_code == 200
expect(parent_of("send receipt") == "checkout", "the background task's span is a child of the handler's span")
