"""A small real SSE client for the tests: reads frames off an open HTTP stream."""

import asyncio
import json
from dataclasses import dataclass


@dataclass
class Frame:
    event: str | None = None
    id: str | None = None
    data: str | None = None
    retry: int | None = None
    comment: str | None = None

    @property
    def json(self):
        return json.loads(self.data)


class SSE:
    """`async with SSE.open(client, headers=…) as sse: frame = await sse.next()`."""

    def __init__(self, resp):
        self.resp = resp

    @classmethod
    def open(cls, client, path="/api/v1/notifications/stream/", **kwargs):
        return _Opener(cls, client, path, kwargs)

    async def frame(self, timeout: float = 5.0) -> Frame:
        """The next frame, comments (`: ping`) included."""
        async with asyncio.timeout(timeout):
            frame, seen = Frame(), False
            while True:
                raw = await self.resp.content.readline()
                if not raw:
                    raise EOFError("the stream ended")
                line = raw.decode().rstrip("\r\n")
                if not line:
                    if seen:
                        return frame
                    continue
                seen = True
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "":
                    frame.comment = value
                elif name == "data":
                    frame.data = (
                        value if frame.data is None else f"{frame.data}\n{value}"
                    )
                elif name == "retry":
                    frame.retry = int(value)
                elif name in ("event", "id"):
                    setattr(frame, name, value)

    async def next(self, timeout: float = 5.0) -> Frame:
        """The next event, skipping comments and the retry frame."""
        while True:
            frame = await self.frame(timeout)
            if frame.comment is None and frame.data is not None:
                return frame

    async def until(self, event: str, timeout: float = 5.0) -> Frame:
        """The next frame of that event name, skipping others."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.next(timeout)
                if frame.event == event:
                    return frame

    async def notifications(self, n: int, timeout: float = 5.0) -> list[dict]:
        """The next n notification events' data, skipping other events."""
        return [(await self.until("notification", timeout)).json for _ in range(n)]

    async def nothing(self, within: float = 0.3) -> None:
        """Assert that no event arrives within the time given."""
        try:
            frame = await self.next(within)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected event: {frame}")


class _Opener:
    def __init__(self, cls, client, path, kwargs):
        self.cls, self.client, self.path, self.kwargs = cls, client, path, kwargs

    async def __aenter__(self) -> SSE:
        self.resp = await self.client.get(self.path, **self.kwargs)
        assert self.resp.status == 200, await self.resp.text()
        sse = self.cls(self.resp)
        # Past `retry:` and the first unread_count, the stream is subscribed.
        self.first = await sse.frame()
        assert self.first.retry is not None
        sse.start = await sse.until("unread_count")
        return sse

    async def __aexit__(self, *exc):
        self.resp.close()
