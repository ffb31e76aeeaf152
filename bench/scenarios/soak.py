"""Target 6: targets 2 and 5 together for `soak` seconds; the server's RSS every
10 s. Events are tallied and dropped as they come, so the load generator's own
memory stays flat too."""

import asyncio
import json
import random
import time

from ..common import bench_key, ms, open_streams, paced, pct
from .tasks import is_assigned

NOTIFY, TASKS = "/api/v1/notifications/", "/api/v1/tasks/"
EVERY = 10.0


async def run(server, args) -> dict:
    users = server.users[: args.streams]
    targeted_users = users[: args.targeted_streams]
    streams = await open_streams(server, users)
    rng = random.Random(7)
    n_notes = int(args.notify_rate * args.soak)
    n_tasks = int(args.rate * args.soak)
    note_to = [rng.choice(targeted_users) for _ in range(n_notes)]
    task_to = [rng.choice(users) for _ in range(n_tasks)]
    notes: list = [None] * n_notes
    tasks: list = [None] * n_tasks

    def note(i: int) -> bytes:
        return json.dumps(
            {
                "recipients": [note_to[i]],
                "title": f"soak {i}",
                "meta_info": {"bench": i},
            }
        ).encode()

    def task(i: int) -> bytes:
        return json.dumps(
            {"title": f"soak task {i}", "assigned_to": task_to[i]}
        ).encode()

    samples, windows, tally = [], [], {"notes": 0, "pushed": 0}
    started = time.perf_counter()

    carry: list = []  # notes seen before their POST was answered

    async def watch():
        while True:
            await asyncio.sleep(EVERY)
            latency, seen = [], carry[:]
            carry.clear()
            for client in streams.clients:
                for at, _, data in client.events:
                    if is_assigned(data):
                        tally["pushed"] += 1
                    elif (i := bench_key(data)) is not None:
                        seen.append((at, i))
                client.events.clear()
            for at, i in seen:
                if notes[i] is None:
                    carry.append((at, i))
                else:
                    latency.append(at - notes[i][1])
                    tally["notes"] += 1
            s = server.sample()
            samples.append((round(time.perf_counter() - started), s.rss_kib, s.cpu_s))
            windows.append(ms(pct(latency, 0.99)))

    watcher = asyncio.create_task(watch())
    await asyncio.gather(
        paced(
            server.http, NOTIFY, note, args.notify_rate, n_notes, 4, notes, args.soak
        ),
        paced(
            server.http,
            TASKS,
            task,
            args.rate,
            n_tasks,
            args.connections,
            tasks,
            args.soak,
        ),
    )
    await asyncio.sleep(EVERY + 1)  # one more window, for what is in flight
    watcher.cancel()
    await streams.close()
    warm = [s for s in samples if s[0] >= 60] or samples
    t = [s[0] / 60 for s in warm]
    r = [s[1] / 1024 for s in warm]
    mean_t, mean_r = sum(t) / len(t), sum(r) / len(r)
    slope = sum((a - mean_t) * (b - mean_r) for a, b in zip(t, r, strict=True)) / max(
        1e-9, sum((a - mean_t) ** 2 for a in t)
    )
    created = sum(1 for x in tasks if x and x[3] == 201)
    return {
        "streams": len(users),
        "seconds": args.soak,
        "notes_created": sum(1 for x in notes if x and x[3] == 201),
        "notes_received": tally["notes"],
        "tasks_created": created,
        "tasks_pushed": tally["pushed"],
        "tasks_rps": round(created / args.soak, 1),
        "rss_warm_mib": round(warm[0][1] / 1024, 1),
        "rss_end_mib": round(samples[-1][1] / 1024, 1),
        "rss_max_mib": round(max(s[1] for s in samples) / 1024, 1),
        "rss_slope_mib_per_min": round(slope, 3),
        "targeted_p99_ms_per_window": windows,
        "rss_mib_per_window": [round(s[1] / 1024, 1) for s in samples],
    }
