"""Target 4: N streams cut at once by a server restart; `missed` notifications
are created in the database while it is down; every client reconnects by
itself (after the server's `retry:`, as EventSource does) with Last-Event-ID.
Done when every stream has exactly what it missed and is live again."""

import json
import random
import time

from .. import servers
from ..common import open_streams, wait_until

PATH = "/api/v1/notifications/"


def create_missed(users, count: int) -> dict[int, list[int]]:
    """count notifications for random users, written straight to the database."""
    rng = random.Random(count)
    recipients = sorted(rng.choice(users) for _ in range(count))
    rows = servers.sql(
        "INSERT INTO notifications (assigned_to, notification_type, title, meta_info)"
        " SELECT uid, 'SYSTEM', 'missed', '{}'::jsonb"
        " FROM unnest(%s::bigint[]) AS uid ORDER BY uid RETURNING id, assigned_to",
        (recipients,),
    )
    expected: dict[int, list[int]] = {}
    for nid, uid in rows:
        expected.setdefault(uid, []).append(nid)
    return {uid: sorted(ids) for uid, ids in expected.items()}


async def run(server, args) -> dict:
    streams = await open_streams(server, server.users[: args.streams])
    http = server.http()
    # Every client needs an id to resume from, as a real tab that saw one.
    body = json.dumps({"recipients": "all", "title": "before the cut"}).encode()
    await http.request("POST", PATH, body)
    http.close()
    await wait_until(lambda: all(c.events for c in streams.clients), 20.0)
    for client in streams.clients:
        client.reconnect_until = time.monotonic() + args.storm_timeout + 30
        client.events.clear()
    stop_seconds = await server.stop()
    expected = {}
    if server.kind == "leopard":
        expected = create_missed(server.users[: args.streams], args.missed)
    restarted = time.perf_counter()
    listening = await server.start()

    def complete(c) -> bool:
        return c.ready and len(c.events) >= len(expected.get(c.user_id, ()))

    await wait_until(
        lambda: all(complete(c) for c in streams.clients), args.storm_timeout
    )
    exact = missing = extra = 0
    done_at = []
    for c in streams.clients:
        want = expected.get(c.user_id, [])
        got = [nid for _, nid, _ in c.events]
        exact += got == want
        missing += len(set(want) - set(got))
        extra += len(got) - len(set(got) & set(want))
        if complete(c):
            done_at.append(
                max([c.ready_at] + [at for at, _, _ in c.events]) - restarted
            )
    await streams.close()
    return {
        "streams": args.streams,
        "missed_created": sum(map(len, expected.values())),
        "stop_seconds": round(stop_seconds, 2),
        "listening_s": round(listening, 2),
        "complete": len(done_at),
        "exact": exact,
        "missing": missing,
        "extra": extra,
        "p50_s": round(sorted(done_at)[len(done_at) // 2], 2) if done_at else None,
        "all_s": round(max(done_at), 2) if len(done_at) == args.streams else None,
        "reconnects": sum(c.connects for c in streams.clients) - args.streams,
    }
