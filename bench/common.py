"""What the scenarios share: opening many streams, paced requests, percentiles,
and the server's own delivery-latency histogram from /metrics."""

import asyncio
import itertools
import json
import math
import time
from dataclasses import dataclass, field

from .client import StreamClient


def pct(values, q: float) -> float | None:
    """The q-quantile (0–1) by nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def ms(seconds) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


async def wait_until(predicate, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(interval)
    return True


@dataclass
class Streams:
    clients: list[StreamClient]
    tasks: list[asyncio.Task] = field(default_factory=list)
    open_seconds: float = 0.0

    def ready(self) -> int:
        return sum(c.ready for c in self.clients)

    def refused(self) -> int:
        return sum(c.status not in (None, 200) for c in self.clients)

    def failed(self) -> int:
        pairs = zip(self.clients, self.tasks, strict=True)
        return sum(t.done() and not c.ready for c, t in pairs)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def open_streams(
    server, users, batch: int = 250, timeout: float = 120
) -> Streams:
    """One stream per user, opened `batch` at a time (each batch is waited for:
    this measures holding streams, not the listen backlog; the reconnect
    scenario measures the storm)."""
    streams = Streams([server.stream(u) for u in users])
    started = time.perf_counter()
    for i in range(0, len(streams.clients), batch):
        part = streams.clients[i : i + batch]
        tasks = [asyncio.create_task(c.run()) for c in part]
        streams.tasks += tasks
        pairs = list(zip(part, tasks, strict=True))
        await wait_until(
            lambda p=pairs: all(c.ready or k.done() for c, k in p), timeout
        )
    streams.open_seconds = time.perf_counter() - started
    return streams


def bench_key(data: bytes):
    """The `meta_info.bench` a scenario put in a notification, or None."""
    try:
        return json.loads(data)["meta_info"].get("bench")
    except (ValueError, KeyError, AttributeError):
        return None


async def paced(
    http_factory, path, make_body, rate, count, connections, out=None, stop_after=None
):
    """POST count bodies at `rate` a second (0: as fast as the connections go)
    from `connections` keep-alive connections. Returns, per request,
    (scheduled, sent, answered, status), perf_counter times. A request that
    finds every connection busy goes late: its latency from `scheduled` says so.
    `out`, a list of count Nones, is filled as answers come (for a watcher).
    `stop_after` seconds, nothing more is sent (what is left stays None): a
    server slower than `rate` is measured over the duration, not until done.
    """
    results: list[tuple | None] = [None] * count if out is None else out
    counter = itertools.count()
    start = time.perf_counter() + 0.1
    give_up = start + (count / rate if rate else 0) * 3 + 60
    if stop_after is not None:
        give_up = start + stop_after

    async def worker():
        client = http_factory()
        try:
            while (i := next(counter)) < count and time.perf_counter() < give_up:
                scheduled = start + i / rate if rate else time.perf_counter()
                if (delay := scheduled - time.perf_counter()) > 0:
                    await asyncio.sleep(delay)
                sent = time.perf_counter()
                try:
                    status, _ = await client.request("POST", path, make_body(i))
                except (OSError, asyncio.IncompleteReadError):
                    status = 0
                results[i] = (scheduled, sent, time.perf_counter(), status)
        finally:
            client.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return results


async def scrape_latency(server) -> dict[str, float]:
    """Leopard's leopard_delivery_latency_seconds: {le: cumulative count, ...}."""
    if server.kind != "leopard":
        return {}
    client = server.http()
    try:
        status, body = await client.request("GET", "/metrics")
    except OSError:
        return {}
    finally:
        client.close()
    found = {}
    for line in body.decode().splitlines():
        if line.startswith("leopard_delivery_latency_seconds_bucket"):
            le = line.split('le="', 1)[1].split('"', 1)[0]
            found[le] = float(line.rsplit(" ", 1)[1])
        elif line.startswith("leopard_delivery_latency_seconds_"):
            name, value = line.rsplit(" ", 1)
            found[name.rsplit("_", 1)[1]] = float(value)
    return found


def histogram_delta(before: dict, after: dict) -> dict:
    """Server-side commit → written, between two scrapes: count, mean, and the
    bucket bounds that hold p50 and p99 (a histogram gives no finer figure)."""
    if not after:
        return {}
    total = after.get("count", 0) - before.get("count", 0)
    if total <= 0:
        return {"count": 0}
    bounds = sorted((k for k in after if k not in ("sum", "count")), key=float)
    out = {
        "count": int(total),
        "mean_ms": ms((after["sum"] - before.get("sum", 0)) / total),
    }
    for name, q in (("p50_le_ms", 0.5), ("p99_le_ms", 0.99)):
        for le in bounds:
            if after[le] - before.get(le, 0) >= q * total:
                out[name] = ms(float(le))
                break
    return out
