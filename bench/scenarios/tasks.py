"""Target 5: POST /api/v1/tasks/ with an assignee (a task row and a
TASK_ASSIGNED notification, pushed to the assignee's open stream) at `rate`/s
for `duration` s while `streams` streams are open."""

import json
import random

from ..common import ms, open_streams, paced, pct, wait_until

PATH = "/api/v1/tasks/"


def is_assigned(data: bytes) -> bool:
    return b'"TASK_ASSIGNED"' in data


async def run(server, args) -> dict:
    users = server.users[: args.streams]
    streams = await open_streams(server, users)
    count = int(args.rate * args.duration) if args.rate else args.requests
    rng = random.Random(count)
    targets = [rng.choice(users) for _ in range(count)]

    def body(i: int) -> bytes:
        return json.dumps(
            {"title": f"bench task {i}", "assigned_to": targets[i]}
        ).encode()

    before = server.sample()
    sent = await paced(
        server.http,
        PATH,
        body,
        args.rate,
        count,
        args.connections,
        stop_after=args.duration if args.rate else None,
    )
    after = server.sample()
    done = [r for r in sent if r]
    created = sum(r[3] == 201 for r in done)

    def pushed() -> int:
        return sum(
            sum(map(is_assigned, (d for _, _, d in c.events))) for c in streams.clients
        )

    await wait_until(lambda: pushed() >= created, 10.0, 0.25)
    received = pushed()
    await streams.close()
    span = max(r[2] for r in done) - min(r[0] for r in done) if done else 0
    latency = [r[2] - r[1] for r in done]
    late = [r[2] - r[0] for r in done]
    return {
        "streams": len(users),
        "rate": args.rate,
        "connections": args.connections,
        "scheduled": count,
        "sent": len(done),
        "created": created,
        "errors": len(done) - created,
        "achieved_rps": round(created / span, 1) if span else None,
        "p50_ms": ms(pct(latency, 0.5)),
        "p99_ms": ms(pct(latency, 0.99)),
        "p99_from_schedule_ms": ms(pct(late, 0.99)),
        "pushed": received,
        "lost": created - received,
        "server_cpu_s": round(after.cpu_s - before.cpu_s, 2),
        "server_sys_s": round(after.sys_s - before.sys_s, 2),
        "server_cpu_share": round((after.cpu_s - before.cpu_s) / span, 2)
        if span
        else None,
        "rss_mib": round(after.rss_kib / 1024, 1),
    }
