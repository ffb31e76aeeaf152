"""Target 2: admin POSTs to one recipient each, at `rate`/s to `streams` open
streams; latency from the request's send to the event's receipt, and losses."""

import json
import random

from ..common import (
    bench_key,
    histogram_delta,
    ms,
    open_streams,
    paced,
    pct,
    scrape_latency,
    wait_until,
)

PATH = "/api/v1/notifications/"


async def run(server, args) -> dict:
    users = server.users[: args.streams]
    streams = await open_streams(server, users)
    try:
        return await measure(server, streams, users, args)
    finally:
        await streams.close()


async def measure(server, streams, users, args, first: int = 0) -> dict:
    """One round of `rate`/s for `duration` s over open streams; its
    notifications carry the keys first, first + 1, …, so that rounds on the
    same streams are told apart."""
    count = int(args.rate * args.duration)
    rng = random.Random(count + first)
    targets = [rng.choice(users) for _ in range(count)]

    def body(i: int) -> bytes:
        note = {"recipients": [targets[i]], "title": f"bench {i}", "meta_info": {}}
        note["meta_info"]["bench"] = first + i
        return json.dumps(note).encode()

    def mine(data: bytes):
        key = bench_key(data)
        return key - first if isinstance(key, int) and key >= first else None

    def received() -> int:
        events = (d for c in streams.clients for _, _, d in c.events)
        return sum(mine(d) is not None for d in events)

    before_cpu, before_hist = server.sample(), await scrape_latency(server)
    sent = await paced(server.http, PATH, body, args.rate, count, args.connections)
    created = {i for i, r in enumerate(sent) if r and r[3] == 201}
    await wait_until(lambda: received() >= len(created), 10.0)
    after_cpu, after_hist = server.sample(), await scrape_latency(server)
    latencies, seen, misdelivered = [], {}, 0
    for client in streams.clients:
        for at, _, data in client.events:
            if (i := mine(data)) is None or i >= count:
                continue
            seen[i] = seen.get(i, 0) + 1
            if targets[i] != client.user_id:
                misdelivered += 1
            latencies.append(at - sent[i][1])
    answered = [r[2] - r[1] for r in sent if r]
    return {
        "streams": len(users),
        "open": sum(c.connects > 0 for c in streams.clients),
        "rate": args.rate,
        "sent": count,
        "created": len(created),
        "received": len(latencies),
        "lost": len(created - seen.keys()),
        "duplicates": sum(n - 1 for n in seen.values() if n > 1),
        "misdelivered": misdelivered,
        "p50_ms": ms(pct(latencies, 0.5)),
        "p99_ms": ms(pct(latencies, 0.99)),
        "max_ms": ms(max(latencies, default=None)),
        "post_p99_ms": ms(pct(answered, 0.99)),
        "server_latency": histogram_delta(before_hist, after_hist),
        "server_cpu_s": round(after_cpu.cpu_s - before_cpu.cpu_s, 2),
        "rss_mib": round(after_cpu.rss_kib / 1024, 1),
    }
