"""The load generator's wire format: chunked transfer decoding and SSE frames.

Minimal on purpose: one stream costs a few small objects, so one process can
hold 10,000. Only what the scenarios read is parsed (`id:`, `event:`, `data:`,
`retry:` and comment lines); `data` stays bytes until a scenario needs it.
"""

from dataclasses import dataclass


@dataclass(slots=True)
class Frame:
    event: bytes = b"message"
    data: bytes = b""
    id: bytes | None = None
    retry: int | None = None
    comment: bool = False  # a `: ping` and nothing else


class Dechunker:
    """Transfer-Encoding: chunked → the body's bytes, fed in any pieces."""

    __slots__ = ("_buf", "_left", "_skip", "done")

    def __init__(self):
        self.done = False  # the last (empty) chunk came: the body is complete
        self._buf = b""
        self._left: int | None = None  # of the current chunk; None: a size line next
        self._skip = 0  # the CRLF after a chunk, still to drop

    def feed(self, data: bytes) -> bytes:
        buf, out = self._buf + data, []
        while buf and not self.done:
            if self._skip:
                dropped = min(self._skip, len(buf))
                buf, self._skip = buf[dropped:], self._skip - dropped
                continue
            if self._left is None:
                end = buf.find(b"\r\n")
                if end < 0:
                    break
                self._left = int(buf[:end].split(b";", 1)[0], 16)
                buf = buf[end + 2 :]
                if self._left == 0:
                    self.done = True
                    break
            take = buf[: self._left]
            out.append(take)
            buf, self._left = buf[len(take) :], self._left - len(take)
            if self._left == 0:
                self._left, self._skip = None, 2
        self._buf = buf
        return b"".join(out)


class Parser:
    """SSE body bytes → frames. Lines end in LF or CRLF; a blank line ends one."""

    __slots__ = ("_buf",)

    def __init__(self):
        self._buf = b""

    def feed(self, data: bytes) -> list[Frame]:
        buf = (self._buf + data).replace(b"\r\n", b"\n")
        *blocks, self._buf = buf.split(b"\n\n")
        return [frame for block in blocks if (frame := parse_block(block))]


def parse_block(block: bytes) -> Frame | None:
    frame, data, seen = Frame(), [], False
    for line in block.split(b"\n"):
        name, _, value = line.partition(b":")
        if value.startswith(b" "):
            value = value[1:]
        if name == b"":
            frame.comment = True
            continue
        seen = True
        if name == b"data":
            data.append(value)
        elif name == b"event":
            frame.event = value
        elif name == b"id":
            frame.id = value
        elif name == b"retry" and value.isdigit():
            frame.retry = int(value)
    if not seen and not frame.comment:
        return None
    if seen:
        frame.comment = False
    frame.data = b"\n".join(data)
    return frame
