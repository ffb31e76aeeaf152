"""Issue 15's flood: the targeted scenario (`streams` streams, `rate`/s) runs
three rounds of `duration` s on the same streams (after 5 s unmeasured):
quiet, then with `flood_rate` wrong sign-ins a second from
`flood_connections` connections, then quiet again. Leopard only (`--server
leopard`): the thin server has no sign-in. What to read: `p99_ratio` (the
flood round's p99 over the mean of the quiet ones) and `flood_statuses` (401
until the address limit is reached, 429 after; `over_limit_401` counts the
401s beyond it: 0, since an attempt is counted before its password is
checked)."""

import argparse
import asyncio
import json

from leopard.config import Settings
from leopard.services.throttle import ADDRESS_FACTOR

from ..client import HTTPClient
from ..common import ms, open_streams, paced, pct
from ..servers import HOST
from . import targeted

PATH = "/api/v1/auth/token/"
USERNAMES = 8  # cycled through; the address limit (5 × the username's) trips first
MAX = "LEOPARD_LOGIN_MAX_FAILURES"


async def run(server, args) -> dict:
    if server.kind != "leopard":
        raise SystemExit("bench.run signin: use --server leopard")
    users = server.users[: args.streams]
    streams = await open_streams(server, users)
    count = int(args.rate * args.duration)
    try:
        # A short round first, unmeasured: pools and caches fill up.
        warm = argparse.Namespace(**{**vars(args), "duration": 5.0})
        await targeted.measure(server, streams, users, warm, first=3 * count)
        quiet = await targeted.measure(server, streams, users, args, first=0)
        flood, loud = await asyncio.gather(
            _flood(server, args),
            targeted.measure(server, streams, users, args, first=count),
        )
        again = await targeted.measure(server, streams, users, args, first=2 * count)
    finally:
        await streams.close()
    base = (quiet["p99_ms"] + again["p99_ms"]) / 2
    return {
        "streams": len(users),
        "rate": args.rate,
        "p99_quiet_ms": quiet["p99_ms"],
        "p99_flood_ms": loud["p99_ms"],
        "p99_quiet_again_ms": again["p99_ms"],
        "p99_ratio": round(loud["p99_ms"] / base, 2),
        "lost": quiet["lost"] + loud["lost"] + again["lost"],
        **flood,
        "rounds": {"quiet": quiet, "flood": loud, "quiet_again": again},
    }


async def _flood(server, args) -> dict:
    count = int(args.flood_rate * args.duration)

    def body(i: int) -> bytes:
        name = f"bench{i % USERNAMES + 1}"
        return json.dumps({"username": name, "password": "wrong guess"}).encode()

    answers = await paced(
        lambda: HTTPClient(HOST, server.port),
        PATH,
        body,
        args.flood_rate,
        count,
        args.flood_connections,
    )
    done = sorted((r for r in answers if r), key=lambda r: r[2])
    statuses: dict[str, int] = {}
    for r in done:
        statuses[str(r[3])] = statuses.get(str(r[3]), 0) + 1
    # Once `limit` failures from this address are counted, every answer
    # should be a 429; the requests already in flight then may still be 401.
    failures = dict(e.split("=", 1) for e in args.env).get(MAX)
    per_username = int(failures) if failures else Settings().login_max_failures
    limit = ADDRESS_FACTOR * per_username
    return {
        "flood_rate": args.flood_rate,
        "flood_sent": len(done),
        "flood_statuses": statuses,
        "address_limit": limit,
        "over_limit_401": max(0, statuses.get("401", 0) - limit),
        "neither_401_nor_429": len(done)
        - statuses.get("401", 0)
        - statuses.get("429", 0),
        "flood_p99_ms": ms(pct([r[2] - r[1] for r in done], 0.99)),
    }
