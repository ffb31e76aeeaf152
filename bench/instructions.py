"""`python -m bench.instructions CHECKOUT [CHECKOUT ...] [--writes N]
[--broadcast USERS] [--server-too] [--port P]`

Instructions per task write, counted by valgrind's callgrind: PostgreSQL's
(every backend that served the writes) and, with --server-too, the server's.
Unlike CPU time, which swings by a third from one minute to the next on a
shared machine, the count is the same from run to run (within 0.2 % here),
so two checkouts compare exactly; what it leaves out is the kernel's share
(the round trips' system calls), which favours the checkout with more round
trips.

For each CHECKOUT: a database of its own on a private PostgreSQL started under
callgrind (autovacuum off, so that only the writes are counted), `python
run.py` on it, 100 writes to warm up, then N writes (POST-TASK of
`bench.request_cost`, over ten connections) and, on a new server, N/6 writes;
each backend's count is written when the server stops and its connections
end. The difference of the two, divided by the difference of the writes, is
the cost of one write without the connections' start-up.

With --broadcast USERS the write is instead an announcement to everyone
(`POST /api/v1/notifications/` with `recipients: all`, the broadcast
scenario's) among USERS users written straight into the table: the INSERT of
USERS notifications, without the streams that would then mark them
delivered; N is then the number of announcements. Needs valgrind
(Debian: apt-get install valgrind) and PostgreSQL's binaries (pg_config).
"""

import argparse
import asyncio
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

import aiohttp

from .request_cost import POST_TASK, _ready, _request_maker, _signed_in


def _bindir() -> str:
    return subprocess.run(
        ["pg_config", "--bindir"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _as_postgres(command: list) -> list:
    """PostgreSQL refuses to run as root: as the postgres user then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class Cluster:
    """A private PostgreSQL under callgrind, one output file per process."""

    def __init__(self, port: int):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="leopard-instructions-")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.data = os.path.join(self.dir, "data")
        self.process = None

    def start(self) -> None:
        bindir = _bindir()
        subprocess.run(
            _as_postgres([f"{bindir}/initdb", "-D", self.data, "-A", "trust"])
            + ["-U", "postgres"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        command = ["valgrind", "--tool=callgrind", "--dump-instr=no"]
        command += [f"--callgrind-out-file={self.dir}/cg.%p"]
        command += [f"{bindir}/postgres", "-D", self.data, "-p", str(self.port)]
        command += ["-k", self.dir, "-c", "autovacuum=off"]
        self.process = subprocess.Popen(
            _as_postgres(command),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(600):
            if self.psql("SELECT 1", check=False).returncode == 0:
                return
            time.sleep(0.5)
        raise RuntimeError("the PostgreSQL under callgrind did not start")

    def psql(self, sql: str, database: str = "postgres", check: bool = True):
        command = ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        return subprocess.run(
            [*command, "-d", database, "-Atqc", sql],
            capture_output=True,
            check=check,
        )

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def backend_files(self) -> set:
        """The output files of the processes that have exited (the postmaster
        and its helpers write theirs only when the cluster stops)."""
        return set(glob.glob(os.path.join(self.dir, "cg.*")))

    def settled(self) -> set:
        """The backends' files once no more appear (each is written as its
        backend exits, after its client has gone)."""
        files = self.backend_files()
        while True:
            time.sleep(3)
            now = self.backend_files()
            if now == files:
                return files
            files = now

    def stop(self) -> None:
        if self.process is not None:
            subprocess.run(
                _as_postgres([f"{_bindir()}/pg_ctl", "-D", self.data, "stop"]),
                stdout=subprocess.DEVNULL,
                check=False,
            )
            self.process.wait(timeout=120)
        shutil.rmtree(self.dir, ignore_errors=True)


def instructions(path: str) -> int:
    with open(path) as file:
        for line in file:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    return 0


def _server(checkout: str, port: int, url: str, server_too: bool, out: str):
    env = dict(
        os.environ,
        LEOPARD_DATABASE_URL=url,
        LEOPARD_PORT=str(port),
        LEOPARD_DATA_DIR=tempfile.mkdtemp(),
        LEOPARD_ADMIN_PASSWORD="admin-password",
        LEOPARD_JWT_SECRET="x" * 40,
    )
    command = [sys.executable, "run.py"]
    if server_too:
        command = ["valgrind", "--tool=callgrind", "--dump-instr=no"]
        command += [f"--callgrind-out-file={out}", sys.executable, "run.py"]
    return subprocess.Popen(
        command,
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _broadcaster(session, base: str, headers: dict):
    async def post():
        body = {"recipients": "all", "title": "broadcast", "meta_info": {}}
        url = f"{base}/api/v1/notifications/"
        async with session.post(url, json=body, headers=headers) as resp:
            assert resp.status == 201, await resp.text()
            await resp.read()

    return post


async def _writes(base: str, n: int, users: int, cluster, database: str) -> None:
    timeout = aiohttp.ClientTimeout(total=3600)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await _ready(session, base, tries=1200, pause=0.5)  # slow under callgrind
        headers = await _signed_in(session, base, "admin", "admin-password")
        if users:
            cluster.psql(
                "INSERT INTO users (username, password_hash) SELECT"
                f" 'bench-' || i, 'x' FROM generate_series(1, {users}) AS i",
                database,
            )
            send = _broadcaster(session, base, headers)
            warm = 3
        else:
            send = await _request_maker(session, base, POST_TASK, headers)
            warm = 100
        for _ in range(warm):
            await send()
        if users:  # one at a time, as an office sends them
            for _ in range(n):
                await send()
            return

        async def run(count):
            for _ in range(count):
                await send()

        await asyncio.gather(*(run(n // 10) for _ in range(10)))


def count(
    cluster, checkout: str, n: int, port: int, server_too: bool, users: int
) -> tuple:
    """(PostgreSQL's, the server's or 0) instructions for the warm-up and n
    writes, start-up included."""
    database = f"instructions_{port}_{n}"
    cluster.psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    cluster.psql(f'CREATE DATABASE "{database}"')
    out = os.path.join(cluster.dir, f"server.{port}.{n}")
    before = cluster.settled()
    server = _server(checkout, port, cluster.url(database), server_too, out)
    try:
        asyncio.run(_writes(f"http://127.0.0.1:{port}", n, users, cluster, database))
    finally:
        server.terminate()
        server.wait(timeout=600)
    files = cluster.settled() - before
    database_count = sum(instructions(f) for f in files)
    return database_count, instructions(out) if server_too else 0


def main(checkouts: list, writes: int, users: int, server_too: bool, port: int):
    cluster = Cluster(port)
    try:
        cluster.start()
        few = max(writes // 6, 1)
        what = "an announcement to all" if users else "a write"
        for i, checkout in enumerate(checkouts):
            args = (port + 1 + i, server_too, users)
            many = count(cluster, checkout, writes, *args)
            some = count(cluster, checkout, few, *args)
            per = [(m - s) / (writes - few) for m, s in zip(many, some, strict=True)]
            line = f"{checkout}: {per[0]:,.0f} instructions of PostgreSQL {what}"
            if server_too:
                line += f", {per[1]:,.0f} of the server's, {sum(per):,.0f} in all"
            print(line + f" (the difference of {writes} and {few})", flush=True)
    finally:
        cluster.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", help="one or more checkouts")
    parser.add_argument("--writes", type=int, default=1200)
    parser.add_argument("--broadcast", type=int, default=0, metavar="USERS")
    parser.add_argument("--server-too", action="store_true")
    parser.add_argument("--port", type=int, default=5498)
    args = parser.parse_args()
    main(args.checkouts, args.writes, args.broadcast, args.server_too, args.port)
