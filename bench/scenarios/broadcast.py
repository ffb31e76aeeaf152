"""Target 3: `"recipients": "all"` with N streams open; how long until every
stream has the event, from the moment the request is sent."""

import asyncio
import json
import time

from ..common import (
    bench_key,
    histogram_delta,
    ms,
    open_streams,
    pct,
    scrape_latency,
    wait_until,
)

PATH = "/api/v1/notifications/"


async def run(server, args) -> dict:
    streams = await open_streams(server, server.users[: args.streams])
    http = server.http()
    rounds = []
    for k in range(args.repeat):
        await asyncio.sleep(args.pause)
        hist, cpu = await scrape_latency(server), server.sample()
        body = {"recipients": "all", "title": f"broadcast {k}", "meta_info": {}}
        body["meta_info"]["bench"] = k
        sent = time.perf_counter()
        status, _ = await http.request("POST", PATH, json.dumps(body).encode())
        answered = time.perf_counter() - sent
        await wait_until(
            lambda k=k: all(len(c.events) > k for c in streams.clients), 10.0, 0.02
        )
        cpu_after = server.sample()
        got = []
        for client in streams.clients:
            got += [at - sent for at, _, data in client.events if bench_key(data) == k]
        rounds.append(
            {
                "status": status,
                "post_ms": ms(answered),
                "received": len(got),
                "missing": len(streams.clients) - len(got),
                "p50_ms": ms(pct(got, 0.5)),
                "p99_ms": ms(pct(got, 0.99)),
                "all_ms": ms(max(got, default=None)),
                "server_cpu_s": round(cpu_after.cpu_s - cpu.cpu_s, 2),
                "server_latency": histogram_delta(hist, await scrape_latency(server)),
            }
        )
    http.close()
    await streams.close()
    alls = [r["all_ms"] for r in rounds if r["all_ms"] is not None]
    return {
        "streams": args.streams,
        "open": sum(c.connects > 0 for c in streams.clients),
        "open_seconds": round(streams.open_seconds, 2),
        "all_ms": pct(alls, 0.5),  # the median round of this run
        "all_ms_worst": max(alls, default=None),
        "missing": sum(r["missing"] for r in rounds),
        "rounds": rounds,
    }
