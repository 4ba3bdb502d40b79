"""py/worker-inherits-request, good: the worker started with an empty context (`context=contextvars.Context()`,
Python 3.11+) starts its spans as roots of their own, not in the first request's trace."""
import asyncio
import contextvars
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


class Writer:
    def __init__(self):
        self._task = None
        self._queue = asyncio.Queue()

    async def handle(self, name):
        with tracer.start_as_current_span(name):
            if self._task is None:
                self._task = asyncio.create_task(self._worker(), context=contextvars.Context())
            await self._queue.put(name)

    async def _items(self):
        while True:
            yield await self._queue.get()
            self._queue.task_done()

    async def _worker(self):
        async for item in self._items():
            with tracer.start_as_current_span(f"write {item}"):
                pass


async def main():
    writer = Writer()
    await writer.handle("request 1")
    await writer.handle("request 2")
    await writer._queue.join()
    writer._task.cancel()


asyncio.run(main())
expect(parent_of("write request 2") == "ROOT", "the worker's spans belong to no request")
