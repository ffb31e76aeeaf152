"""`python -m bench.request_cost CHECKOUT [CHECKOUT ...] [--path PATH |
--path POST-TASK] [--rounds R] [--requests N] [--port P]`

The server's CPU per request of one route (default GET /api/v1/users/me/),
for A/B comparisons of the per-request overhead (the middlewares,
authentication, the log) and of the task-write path: `python run.py` from
each CHECKOUT, side by side, each on a database of its own on the PostgreSQL
at 127.0.0.1:5432; 200 requests each to warm up, then R rounds of N requests
(default 3,000) over ten keep-alive connections to each server in turn, the
order flipped every round. Prints, per checkout, the medians of the server's
CPU (user + system) per request, PostgreSQL's (every `postgres` process on
the machine: run it on a quiet one), their sum against the first checkout's,
and the requests per second. Alternating rounds pair the measurements: the
machine's speed drifts by ±10 % within minutes, so separate runs compare
badly.

`POST-TASK` instead creates a task each time, assigned to one of 50 users in
turn (the `tasks` scenario's write, without the streams).
"""

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time

import aiohttp
import psutil

SERVER = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
POST_TASK = "POST-TASK"
ASSIGNEES = 50


def postgres_cpu() -> float:
    """Every postgres process's CPU, and (through the postmaster's children's
    times) that of the backends that have exited: it only grows, whatever
    connections come and go."""
    total = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        if process.info["name"] == "postgres" and process.info["cpu_times"]:
            times = process.info["cpu_times"]
            total += times.user + times.system + times.children_user
            total += times.children_system
    return total


async def _signed_in(session, base: str, username: str, password: str) -> dict:
    body = {"username": username, "password": password}
    async with session.post(f"{base}/api/v1/auth/token/", json=body) as resp:
        return {"Authorization": f"Bearer {(await resp.json())['access_token']}"}


async def _request_maker(session, base: str, path: str, headers: dict):
    """A coroutine function that sends one request of the kind measured."""
    if path != POST_TASK:

        async def get():
            async with session.get(base + path, headers=headers) as resp:
                await resp.read()

        return get
    # Many assignees, as in the tasks scenario: each write takes its
    # recipient's lock until commit, so one assignee would make the writes
    # queue on one lock and measure that queue.
    assignees = []
    for i in range(ASSIGNEES):
        user = {"username": f"bench-assignee-{i}", "password": "bench-password-1"}
        async with session.post(
            f"{base}/api/v1/users/", json=user, headers=headers
        ) as resp:
            assignees.append((await resp.json())["id"])
    numbers = itertools.count()

    async def post():
        number = next(numbers)
        body = {"title": f"cost {number}", "assigned_to": assignees[number % ASSIGNEES]}
        async with session.post(
            f"{base}/api/v1/tasks/", json=body, headers=headers
        ) as resp:
            assert resp.status == 201, await resp.text()
            await resp.read()

    return post


async def _ready(session, base: str, tries: int = 300, pause: float = 0.1) -> None:
    for _ in range(tries):
        try:
            async with session.get(f"{base}/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(pause)


async def _batch(send, n: int, pid: int) -> tuple:
    """n requests over ten connections: (server CPU, PostgreSQL CPU) a
    request in µs, and requests a second."""
    process = psutil.Process(pid)
    cpu, database = sum(process.cpu_times()[:2]), postgres_cpu()
    started = time.perf_counter()

    async def run(count):
        for _ in range(count):
            await send()

    await asyncio.gather(*(run(n // 10) for _ in range(10)))
    elapsed = time.perf_counter() - started
    cpu = sum(process.cpu_times()[:2]) - cpu
    database = postgres_cpu() - database
    return cpu / n * 1e6, database / n * 1e6, n / elapsed


async def measure(servers: list, path: str, rounds: int, n: int) -> list:
    """servers: (port, pid) each. After 200 requests each to warm up, `rounds`
    rounds of n requests to each server in turn (the first server first in
    even rounds, last in odd ones): paired measurements on the same machine
    minute by minute, as its speed drifts."""
    async with aiohttp.ClientSession() as session:
        senders = []
        for port, _ in servers:
            base = f"http://127.0.0.1:{port}"
            await _ready(session, base)
            headers = await _signed_in(session, base, "admin", "admin-password")
            send = await _request_maker(session, base, path, headers)
            for _ in range(200):
                await send()
            senders.append(send)
        results = [[] for _ in servers]
        for round_ in range(rounds):
            order = list(range(len(servers)))
            if round_ % 2:
                order.reverse()
            for i in order:
                results[i].append(await _batch(senders[i], n, servers[i][1]))
        return results


def _start(checkout: str, port: int) -> subprocess.Popen:
    name = f"leopard_request_cost_{port}"
    subprocess.run([*SERVER, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
    subprocess.run([*SERVER, f'CREATE DATABASE "{name}"'])
    env = dict(
        os.environ,
        LEOPARD_DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{name}",
        LEOPARD_PORT=str(port),
        LEOPARD_DATA_DIR=tempfile.mkdtemp(),
        LEOPARD_ADMIN_PASSWORD="admin-password",
        LEOPARD_JWT_SECRET="x" * 40,
    )
    return subprocess.Popen(
        [sys.executable, "run.py"],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _median(values):
    return statistics.median(values)


def main(checkouts: list, port: int, path: str, rounds: int, n: int) -> None:
    ports = [port + i for i in range(len(checkouts))]
    pairs = zip(checkouts, ports, strict=True)
    started = [_start(checkout, p) for checkout, p in pairs]
    try:
        servers = [(p, s.pid) for p, s in zip(ports, started, strict=True)]
        results = asyncio.run(measure(servers, path, rounds, n))
    finally:
        for server in started:
            server.terminate()
            server.wait()
        for p in ports:
            name = f"leopard_request_cost_{p}"
            subprocess.run([*SERVER, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
    first = None
    for checkout, runs in zip(checkouts, results, strict=True):
        cpu, database, rate = (_median([r[k] for r in runs]) for k in range(3))
        total = cpu + database
        versus = f" ({total / first - 1:+.1%} against the first)" if first else ""
        first = first or total
        print(
            f"{checkout} {path}: medians of {rounds} rounds of {n}: "
            f"{cpu:.0f} µs of server CPU a request, {database:.0f} µs of "
            f"PostgreSQL's, {total:.0f} together{versus}, {rate:.0f}/s"
        )
        print(
            "  rounds (server+PostgreSQL µs): "
            + ", ".join(f"{r[0] + r[1]:.0f}" for r in runs)
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", help="one or more checkouts")
    parser.add_argument("--port", type=int, default=8201)
    parser.add_argument("--path", default="/api/v1/users/me/")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    main(args.checkouts, args.port, args.path, args.rounds, args.requests)
