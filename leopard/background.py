"""Background tasks that live as long as a cleanup context."""

import asyncio
import contextlib
from contextlib import asynccontextmanager


@asynccontextmanager
async def running(coro):
    """Run coro as a task for the block; cancel it and wait for it afterwards."""
    task = asyncio.create_task(coro)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
