"""`python -m bench.request_cost CHECKOUT PORT [PATH]`

The server's CPU per request of one cheap route (default GET
/api/v1/users/me/), for A/B comparisons of the per-request overhead (the
middlewares, authentication, the log): `python run.py` from CHECKOUT on a
database of its own on the PostgreSQL at 127.0.0.1:5432, 200 requests to warm
up, then 3,000 over ten keep-alive connections; prints the server's CPU (user
+ system) per request and the requests per second.
"""

import asyncio
import os
import subprocess
import sys
import tempfile
import time

import aiohttp
import psutil

SERVER = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]


async def measure(port: int, path: str, pid: int, n: int = 3000) -> tuple[float, float]:
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
        body = {"username": "admin", "password": "admin-password"}
        async with session.post(f"{base}/api/v1/auth/token/", json=body) as resp:
            token = (await resp.json())["access_token"]
        headers = {"Authorization": f"Bearer {token}"}

        async def get(count):
            for _ in range(count):
                async with session.get(base + path, headers=headers) as resp:
                    await resp.read()

        await get(200)
        process = psutil.Process(pid)
        cpu, started = sum(process.cpu_times()[:2]), time.perf_counter()
        await asyncio.gather(*(get(n // 10) for _ in range(10)))
        cpu = sum(process.cpu_times()[:2]) - cpu
        return cpu / n * 1e6, n / (time.perf_counter() - started)


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
        cpu_us, rate = asyncio.run(measure(port, path, server.pid))
        print(
            f"{checkout} {path}: {cpu_us:.0f} µs of server CPU a request, {rate:.0f}/s"
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
