"""Target 1: N authenticated streams of N users held idle; RSS and CPU over 35 s."""

import asyncio

from ..common import open_streams

WARMUP = 100


def _pings(streams) -> int:
    return sum(c.pings for c in streams.clients)


async def run(server, args) -> dict:
    # A few streams first, so that code paths and pools are warm before the
    # baseline: the figure is the cost of a stream, not of a first stream.
    warm = await open_streams(server, server.users[:WARMUP])
    await warm.close()
    await asyncio.sleep(1.0)
    base = server.sample()
    streams = await open_streams(server, server.users[: args.streams])
    await asyncio.sleep(2.0)  # let the last opens settle
    first, pings = server.sample(), _pings(streams)
    await asyncio.sleep(args.idle)
    last, pings = server.sample(), _pings(streams) - pings
    result = {
        "streams": args.streams,
        "open": streams.ready(),
        "refused": streams.refused(),
        "failed": streams.failed(),
        "open_seconds": round(streams.open_seconds, 2),
        "rss_base_mib": round(base.rss_kib / 1024, 1),
        "rss_open_mib": round(last.rss_kib / 1024, 1),
        "rss_per_stream_kib": round((last.rss_kib - base.rss_kib) / args.streams, 2),
        "idle_seconds": args.idle,
        "idle_cpu_s": round(last.cpu_s - first.cpu_s, 2),
        "pings_in_window": pings,
        "cpu_per_ping_us": round((last.cpu_s - first.cpu_s) / max(1, pings) * 1e6, 1),
        "still_open": streams.ready(),
    }
    await streams.close()
    return result
