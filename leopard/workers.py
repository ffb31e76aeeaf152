"""`serve --workers N`: N Leopard processes on one port, fanned out by PostgreSQL.

The parent prepares once (embedded database, migrations, the first admin), then
runs N children with `serve --reuse-port` and LEOPARD_BROKER=postgres, passes
SIGTERM and SIGINT on to them, and stops the embedded database after them. If a
child dies, the others are stopped too: restarting is the service manager's job.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time

from .services.users import ensure_admin
from .store.db import start_embedded, starting_engine, stop_embedded
from .store.migrations import migrate
from .web.sockets import bind


async def _prepare(settings, url: str) -> None:
    async with starting_engine(url, maxsize=1) as engine:
        await migrate(engine)
        password = await ensure_admin(engine, settings)
    if password:
        print(f"Created user 'admin' with password: {password}", flush=True)


def serve_workers(settings, workers: int) -> int:
    if workers < 1:
        print("leopard: --workers must be at least 1", file=sys.stderr)
        return 2
    if (os.environ.get("LEOPARD_BROKER") or "postgres") != "postgres":
        print(
            "leopard: --workers needs LEOPARD_BROKER=postgres (processes share "
            "events through PostgreSQL)",
            file=sys.stderr,
        )
        return 2
    # The children bind the port themselves; whether they can is known here,
    # before the database is touched.
    for sock in bind(settings.host, settings.port, reuse_port=True):
        sock.close()
    server, url = (None, settings.database_url)
    if url is None:
        server, url = start_embedded(settings.data_dir)
    try:
        asyncio.run(_prepare(settings, url))
        return _supervise(settings, url, workers)
    finally:
        if server is not None:
            stop_embedded(server)


def _supervise(settings, url: str, workers: int) -> int:
    env = dict(
        os.environ,
        LEOPARD_DATABASE_URL=url,
        LEOPARD_BROKER="postgres",
    )
    command = [sys.executable, "-m", "leopard", "serve", "--reuse-port"]
    children = [subprocess.Popen(command, env=env) for _ in range(workers)]
    print(f"Leopard: {workers} workers on port {settings.port}", flush=True)

    stopping = set()

    def forward(signum, frame):
        # Once each: a second SIGTERM kills a child already shutting down.
        for child in children:
            if child.poll() is None and child.pid not in stopping:
                stopping.add(child.pid)
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    while all(child.poll() is None for child in children):
        time.sleep(0.2)
    forward(signal.SIGTERM, None)
    codes = [_code(child, stopping) for child in children]
    return max(codes, key=abs)


def _code(child, stopping) -> int:
    """A child's exit code; one that the SIGTERM we sent ended before it had
    its own handler (it was still starting, so it served nothing) stopped
    cleanly."""
    code = child.wait()
    if code == -signal.SIGTERM and child.pid in stopping:
        return 0
    return code
