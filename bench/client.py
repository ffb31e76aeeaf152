"""Cheap clients on raw asyncio streams: an SSE stream, and HTTP/1.1 keep-alive.

An SSE client is a coroutine, a reader/writer pair and two small parsers; it
parses `id:`/`event:`/`data:` minimally and keeps a notification's data as bytes
(decoded after the run, not while the clock runs).
"""

import asyncio
import contextlib
import time

from .sse import Dechunker, Frame, Parser

STREAM_PATH = "/api/v1/notifications/stream/"
READY = b"unread_count"  # sent once a stream is open and has replayed


class StreamClient:
    """One EventSource-like stream. `run()` connects, reads until the server
    ends the stream, then (only while `reconnect_until`, a monotonic time, is
    ahead) waits the server's `retry:` and reconnects with Last-Event-ID."""

    __slots__ = (
        "host",
        "port",
        "token",
        "user_id",
        "path",
        "last_id",
        "retry_ms",
        "reconnect_until",
        "ready",
        "ready_at",
        "connects",
        "status",
        "error",
        "pings",
        "events",
    )

    def __init__(self, host, port, token, user_id, path=STREAM_PATH):
        self.host, self.port, self.token = host, port, token
        self.user_id, self.path = user_id, path
        self.last_id: int | None = None
        self.retry_ms = 3000
        self.reconnect_until: float | None = None
        self.ready = False  # the current connection has sent its unread count
        self.ready_at = 0.0  # perf_counter() when it did
        self.connects = 0  # attempts that got a 200
        self.status: int | None = None  # of the last attempt
        self.error: str | None = None  # of the last attempt
        self.pings = 0
        self.events: list[tuple[float, int | None, bytes]] = []  # notifications

    async def run(self) -> None:
        while True:
            try:
                await self._connect_once()
                self.error = None
            except (OSError, EOFError, asyncio.IncompleteReadError) as exc:
                self.error = type(exc).__name__
            self.ready = False
            until = self.reconnect_until
            if until is None or time.monotonic() + self.retry_ms / 1000 > until:
                return
            await asyncio.sleep(self.retry_ms / 1000)

    def _request(self) -> bytes:
        lines = [
            f"GET {self.path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Accept: text/event-stream",
            f"Authorization: Bearer {self.token}",
        ]
        if self.last_id is not None:
            lines.append(f"Last-Event-ID: {self.last_id}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def _connect_once(self) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(self._request())
            head = await reader.readuntil(b"\r\n\r\n")
            self.status = int(head[9:12])
            if self.status != 200:
                return
            self.connects += 1
            dechunk = Dechunker() if b"chunked" in head.lower() else None
            parser = Parser()
            while data := await reader.read(65536):
                now = time.perf_counter()
                if dechunk is not None:
                    data = dechunk.feed(data)
                for frame in parser.feed(data):
                    self._on_frame(frame, now)
                if dechunk is not None and dechunk.done:
                    return
        finally:
            writer.close()

    def _on_frame(self, frame: Frame, now: float) -> None:
        if frame.comment:
            self.pings += 1
        elif frame.retry is not None:
            self.retry_ms = frame.retry
        elif frame.event == b"notification":
            self.last_id = int(frame.id) if frame.id is not None else self.last_id
            self.events.append((now, self.last_id, frame.data))
        elif frame.event == READY and not self.ready:
            self.ready, self.ready_at = True, now


class HTTPClient:
    """One keep-alive HTTP/1.1 connection for JSON requests, one at a time."""

    def __init__(self, host: str, port: int, token: str | None = None):
        self.host, self.port, self.token = host, port, token
        self._reader = self._writer = None

    async def request(self, method: str, path: str, body: bytes = b""):
        """(status, body bytes); reconnects when the server closed the last one."""
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port
            )
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
        ]
        if self.token:
            head.append(f"Authorization: Bearer {self.token}")
        try:
            self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            raw = await self._reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in raw.lower().split(b"\r\n"):
                if line.startswith(b"content-length:"):
                    length = int(line[15:])
            data = await self._reader.readexactly(length)
        except BaseException:
            self.close()
            raise
        if b"connection: close" in raw.lower():
            self.close()
        return int(raw[9:12]), data

    def close(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
        self._reader = self._writer = None
