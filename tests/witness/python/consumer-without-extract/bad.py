"""py/consumer-without-extract, bad: a queue consumer task created at startup runs with the startup (ROOT) context;
without extracting the producer's carrier, its spans are a new trace."""
import asyncio
import os
import sys

from opentelemetry.propagate import inject

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


async def worker(queue):
    while True:  # expect: py/consumer-without-extract
        item = await queue.get()
        if item is None:
            return
        with tracer.start_as_current_span("process order"):
            pass


async def main():
    queue = asyncio.Queue()
    task = asyncio.create_task(worker(queue))  # started at startup
    with tracer.start_as_current_span("checkout"):
        headers = {}
        inject(headers)
        await queue.put({"order": 1, "headers": headers})
    await queue.put(None)
    await task


asyncio.run(main())
expect(parent_of("process order") == "ROOT", "the consumer's span is a new trace (ROOT)")
