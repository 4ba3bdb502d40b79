"""py/background-task-in-span, bad: Starlette runs a background task after the response was sent, outside the
handler's `with` span: the task's span is a new trace (ROOT)."""
import os
import sys
import warnings

from starlette.applications import Starlette
from starlette.background import BackgroundTasks
from starlette.responses import PlainTextResponse
from starlette.routing import Route

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


async def send_receipt(order_id):
    with tracer.start_as_current_span("send receipt"):
        pass


async def checkout(request):
    tasks = BackgroundTasks()
    with tracer.start_as_current_span("checkout"):
        tasks.add_task(send_receipt, "order-1")  # expect: py/background-task-in-span
        return PlainTextResponse("ok", background=tasks)


with TestClient(Starlette(routes=[Route("/", checkout)])) as client:
    assert client.get("/").status_code == 200
expect(parent_of("send receipt") == "ROOT", "the background task's span is a new trace (ROOT)")
