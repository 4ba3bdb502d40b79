"""py/dangling-task, bad: a task nobody references is garbage-collected while it waits; the code after its await
never runs. (Its context IS copied: the rule is about the task's lifetime.)"""
import asyncio
import gc
import os
import sys
import weakref

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, tracer  # noqa: E402

waiting = []  # like a driver that holds its pending futures weakly
finished = []


async def send_receipt():
    fut = asyncio.get_running_loop().create_future()
    waiting.append(weakref.ref(fut))
    with tracer.start_as_current_span("send_receipt"):
        await fut
        finished.append("send_receipt")


async def handle():
    with tracer.start_as_current_span("handle"):
        asyncio.create_task(send_receipt())  # expect: py/dangling-task
        await asyncio.sleep(0)


async def main():
    await handle()
    gc.collect()
    for ref in waiting:
        fut = ref()
        if fut is not None and not fut.done():
            fut.set_result(None)
    await asyncio.sleep(0.01)


asyncio.run(main())
expect(not finished, "the unreferenced task was garbage-collected before the code after its await ran")
