"""`python run.py` processes for the end-to-end tests, and a blocking SSE reader
over http.client (the way a proxy or a curl sees a stream)."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass

from .common import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def leopard_env(data_dir, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEOPARD_")}
    env.update(LEOPARD_DATA_DIR=str(data_dir / "var"), **extra)
    return env


def run(env, *args, timeout=90):
    """`python run.py ARGS` to its end: (exit code, stdout, stderr) as text,
    stdin closed, as CI runs it."""
    return subprocess.run(
        [sys.executable, "run.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@contextmanager
def leopards(n, tmp_path, data_dir, **env):
    """n `python run.py` with env (one database, say), started one after the
    other so that the first creates the admin; stopped at the end."""
    started = []
    try:
        for i in range(n):
            started.append(Leopard(tmp_path, data_dir, f"leopard{i}", **env).start())
        yield started
    finally:
        for leopard in started:
            leopard.stop()
            leopard.kill()


def call(port, method, path, body=None, token=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as resp:
        return resp.status, json.loads(resp.read())


ADMIN_PASSWORD = "admin-password-e2e"
SECRET = "e2e-secret-" + "y" * 40
START_TIMEOUT = 90  # generous: other suites share this machine's two cores


class Leopard:
    """One `python run.py` on its own port; `env` extends a clean environment."""

    def __init__(self, tmp_path, data_dir, name="leopard", **env):
        self.port = free_port()
        self.env = leopard_env(
            data_dir,
            LEOPARD_PORT=str(self.port),
            LEOPARD_ADMIN_PASSWORD=ADMIN_PASSWORD,
            LEOPARD_JWT_SECRET=SECRET,
            **env,
        )
        self.log = tmp_path / f"{name}.log"
        self.proc = None

    def start(self) -> "Leopard":
        with open(self.log, "a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "run.py"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=out,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"it stopped: {self.log.read_text()}"
            try:
                call(self.port, "GET", "/readyz")
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"not ready in {START_TIMEOUT}s: {self.log.read_text()}")

    def call(self, method, path, body=None, token=None):
        return call(self.port, method, path, body, token)

    def token(self, username="admin", password=ADMIN_PASSWORD) -> str:
        body = {"username": username, "password": password}
        return self.call("POST", "/api/v1/auth/token/", body)[1]["access_token"]

    def stop(self, sig=signal.SIGTERM, timeout=30) -> int:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)


@dataclass
class Frame:
    event: str | None = None
    id: str | None = None
    data: str | None = None


class Stream:
    """A stream read line by line; `frame()` skips `retry:` and `: ping`."""

    def __init__(self, host, port, path, headers=None, timeout=10):
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.conn.request("GET", path, headers=headers or {})
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200, self.resp.read()

    def frame(self) -> Frame:
        frame = Frame()
        while True:
            line = self.resp.readline()
            if not line:
                raise EOFError("the stream ended")
            line = line.decode().rstrip("\n")
            if not line:
                if frame.data is not None:
                    return frame
                frame = Frame()
                continue
            name, _, value = line.partition(": ")
            if name in ("event", "id", "data"):
                setattr(frame, name, value)

    def until(self, event: str) -> Frame:
        while (frame := self.frame()).event != event:
            pass
        return frame

    def rest(self) -> bytes:
        """Everything to the end: raises IncompleteRead unless the chunked body
        was closed cleanly."""
        return self.resp.read()

    def close(self) -> None:
        self.conn.close()
