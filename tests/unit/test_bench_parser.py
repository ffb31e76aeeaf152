"""The load generator's wire parsing (bench/sse.py): chunked bodies and SSE
frames, fed in arbitrary pieces as a socket delivers them."""

import pytest

from bench.sse import Dechunker, Parser

STREAM = (
    b"retry: 3000\n\n"
    b'id: 7\nevent: notification\ndata: {"id":7}\n\n'
    b": ping\n\n"
    b'event: unread_count\r\ndata: {"unread_count":1}\r\n\r\n'
    b"data: line one\ndata: line two\n\n"
)


def chunked(body: bytes, size: int) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    framed = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces)
    return framed + b"0\r\n\r\n"


def frames_of(data: bytes, piece: int):
    dechunk, parser, frames = Dechunker(), Parser(), []
    for i in range(0, len(data), piece):
        frames += parser.feed(dechunk.feed(data[i : i + piece]))
    assert dechunk.done
    return frames


@pytest.mark.parametrize("piece", [1, 3, 7, 64, 10_000])
@pytest.mark.parametrize("chunk", [5, 13, 1000])
def test_frames_come_out_whole_however_the_bytes_are_cut(piece, chunk):
    frames = frames_of(chunked(STREAM, chunk), piece)
    assert [(f.event, f.id, f.data, f.retry, f.comment) for f in frames] == [
        (b"message", None, b"", 3000, False),
        (b"notification", b"7", b'{"id":7}', None, False),
        (b"message", None, b"", None, True),
        (b"unread_count", None, b'{"unread_count":1}', None, False),
        (b"message", None, b"line one\nline two", None, False),
    ]


def test_the_last_chunk_ends_the_body_and_keeps_what_came_with_it():
    dechunk = Dechunker()
    assert dechunk.feed(b"3\r\nabc\r\n2\r\nde") == b"abcde"
    assert not dechunk.done
    assert dechunk.feed(b"\r\n0\r\n\r\n") == b""
    assert dechunk.done


def test_an_unfinished_frame_waits_for_its_blank_line():
    parser = Parser()
    assert parser.feed(b"id: 1\nevent: notification\ndata: {}\n") == []
    (frame,) = parser.feed(b"\n")
    assert (frame.id, frame.event, frame.data) == (b"1", b"notification", b"{}")
