"""py/consumer-without-extract, good: extracting the carrier the producer put in the item continues its trace."""
import asyncio
import os
import sys

from opentelemetry.propagate import extract, inject

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _witness import expect, parent_of, tracer  # noqa: E402


async def worker(queue):
    while True:
        item = await queue.get()
        if item is None:
            return
        ctx = extract(item["headers"])
        with tracer.start_as_current_span("process order", context=ctx):
            pass


async def main():
    queue = asyncio.Queue()
    task = asyncio.create_task(worker(queue))
    with tracer.start_as_current_span("checkout"):
        headers = {}
        inject(headers)
        await queue.put({"order": 1, "headers": headers})
    await queue.put(None)
    await task


asyncio.run(main())
expect(parent_of("process order") == "checkout", "the consumer's span continues the producer's trace")
