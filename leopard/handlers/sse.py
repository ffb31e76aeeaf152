"""The EventStream response: aiohttp-sse's, with Leopard's framing, pings on
a grid and the send timeout."""

import asyncio
import math
import random

from aiohttp_sse import EventSourceResponse

# Heartbeats fall on a grid of this many seconds (at most), so that the pings of
# thousands of streams come in a few wakeups rather than one each.
PING_SLOT = 1.0


class EventStream(EventSourceResponse):
    """aiohttp-sse's response, cheaper per event and spread out in its pings.

    - `send` writes Leopard's own events (a plain id and name, one line of
      JSON) without checking or splitting them;
    - a write is armed with the send timeout (a timer each) only when the
      client has left enough unread in the socket's buffer that the write
      could wait for it to drain;
    - the first heartbeat comes after a random part of the interval: streams
      opened together (a reconnect storm, a benchmark) would otherwise all
      ping in the same instant, every interval, for as long as they live;
      and heartbeats fall on a grid of PING_SLOT, so the pings due close
      together are written in one wakeup.
    """

    ROOMY = 16 * 1024  # far below the transport's high-water mark (64 KiB)
    PING = b": ping\n\n"

    async def _write_frame(self, frame: bytes) -> None:
        transport = self._req.transport if self._req is not None else None
        roomy = transport is not None and (
            transport.get_write_buffer_size() + len(frame) <= self.ROOMY
        )
        try:
            if roomy:
                await self.write(frame)
            else:
                async with asyncio.timeout(self._send_timeout):
                    await self.write(frame)
        except ConnectionResetError:
            self.stop_streaming()
            raise
        except TimeoutError:
            self.stop_streaming()
            self._abort_transport()
            raise

    async def send(self, data, id=None, event=None, retry=None):
        if retry is not None or "\n" in data or "\r" in data:
            return await super().send(data, id=id, event=event, retry=retry)
        head = f"id: {id}\n" if id is not None else ""
        if event is not None:
            head += f"event: {event}\n"
        await self._write_frame(f"{head}data: {data}\n\n".encode())

    async def _ping(self) -> None:
        loop = asyncio.get_running_loop()
        interval = self._ping_interval
        slot = min(PING_SLOT, interval / 8)
        due = loop.time() + random.uniform(0, interval)
        while True:
            # On a grid of slots: the pings due in one slot share one wakeup of
            # the event loop (each wakeup of an idle process costs more than
            # the ping it sends).
            due = math.ceil(due / slot) * slot
            woken = loop.create_future()
            timer = loop.call_at(due, _wake, woken)
            try:
                await woken
            finally:
                timer.cancel()
            due += interval
            try:
                await self._write_frame(self.PING)
            except (TimeoutError, ConnectionResetError, RuntimeError):
                break  # RuntimeError: written after the end


def _wake(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)
