"""`python -m bench.request_cost CHECKOUT PORT [PATH | POST-TASK]`

The server's CPU per request of one route (default GET /api/v1/users/me/),
for A/B comparisons of the per-request overhead (the middlewares,
authentication, the log) and of the task-write path: `python run.py` from
CHECKOUT on a database of its own on the PostgreSQL at 127.0.0.1:5432, 200
requests to warm up, then 3,000 over ten keep-alive connections; prints the
server's CPU (user + system) per request, PostgreSQL's (every `postgres`
process on the machine: run it on a quiet one) and the requests per second.

`POST-TASK` instead creates a task assigned to a second user each time (the
`tasks` scenario's write, without the streams).
"""

import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
import time

import aiohttp
import psutil

SERVER = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
POST_TASK = "POST-TASK"


def postgres_cpu() -> float:
    total = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        if process.info["name"] == "postgres" and process.info["cpu_times"]:
            total += sum(process.info["cpu_times"][:2])
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
    user = {"username": "bench-assignee", "password": "bench-password-1"}
    async with session.post(f"{base}/api/v1/users/", json=user, headers=headers) as r:
        assignee = (await r.json())["id"]
    numbers = itertools.count()

    async def post():
        body = {"title": f"cost {next(numbers)}", "assigned_to": assignee}
        async with session.post(
            f"{base}/api/v1/tasks/", json=body, headers=headers
        ) as resp:
            assert resp.status == 201, await resp.text()
            await resp.read()

    return post


async def measure(port: int, path: str, pid: int, n: int = 3000) -> tuple:
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(f"{base}/healthz") as resp:
                    if resp.status == 200:
                        break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        headers = await _signed_in(session, base, "admin", "admin-password")
        send = await _request_maker(session, base, path, headers)

        async def run(count):
            for _ in range(count):
                await send()

        await run(200)
        process = psutil.Process(pid)
        cpu, database = sum(process.cpu_times()[:2]), postgres_cpu()
        started = time.perf_counter()
        await asyncio.gather(*(run(n // 10) for _ in range(10)))
        elapsed = time.perf_counter() - started
        cpu = sum(process.cpu_times()[:2]) - cpu
        database = postgres_cpu() - database
        return cpu / n * 1e6, database / n * 1e6, n / elapsed


def main(checkout: str, port: int, path: str) -> None:
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
    server = subprocess.Popen(
        [sys.executable, "run.py"],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        cpu_us, database_us, rate = asyncio.run(measure(port, path, server.pid))
        print(
            f"{checkout} {path}: {cpu_us:.0f} µs of server CPU a request, "
            f"{database_us:.0f} µs of PostgreSQL's, {rate:.0f}/s"
        )
    finally:
        server.terminate()
        server.wait()
        subprocess.run([*SERVER, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


if __name__ == "__main__":
    main(
        sys.argv[1],
        int(sys.argv[2]),
        sys.argv[3] if len(sys.argv) > 3 else "/api/v1/users/me/",
    )
