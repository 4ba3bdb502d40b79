"""py/dangling-task, good: the task is kept in a set until done, so it survives garbage collection and finishes."""
import asyncio
import gc
import os
import sys
import weakref

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402

waiting = []
finished = []
background_tasks = set()


async def send_receipt():
    fut = asyncio.get_running_loop().create_future()
    waiting.append(weakref.ref(fut))
    with tracer.start_as_current_span("send_receipt"):
        await fut
        finished.append("send_receipt")


async def handle():
    with tracer.start_as_current_span("handle"):
        task = asyncio.create_task(send_receipt())
        background_tasks.add(task)
        task.add_done_callback(background_tasks.discard)
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
expect(finished == ["send_receipt"] and parent_of("send_receipt") == "handle", "the kept task finishes, under its parent")
