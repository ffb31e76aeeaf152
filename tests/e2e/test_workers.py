"""`python run.py serve --workers N`: N processes on one port, one stream fan-out."""

import http.client
import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from ..support.common import ROOT
from ..support.processes import call, free_port, leopard_env

pytestmark = pytest.mark.e2e


def test_two_workers_share_one_port_and_deliver_to_any_stream(data_dir, tmp_path):
    port = free_port()
    env = leopard_env(
        data_dir, LEOPARD_PORT=str(port), LEOPARD_ADMIN_PASSWORD="pw-admin-1"
    )
    env.pop("LEOPARD_BROKER", None)
    log = tmp_path / "workers.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "run.py", "serve", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            children = psutil.Process(proc.pid).children()
            try:
                if len(children) == 2:
                    call(port, "GET", "/readyz")
                    break
            except OSError:
                pass
            time.sleep(0.2)
        assert len(psutil.Process(proc.pid).children()) == 2, log.read_text()
        _, body = call(
            port,
            "POST",
            "/api/v1/auth/token/",
            {"username": "admin", "password": "pw-admin-1"},
        )
        token = body["access_token"]
        # Several streams (new connections land on either process).
        conns = []
        for _ in range(4):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request(
                "GET",
                "/api/v1/notifications/stream/",
                headers={"Authorization": f"Bearer {token}"},
            )
            resp = conn.getresponse()
            assert resp.status == 200 and resp.readline() == b"retry: 3000\n"
            conns.append((conn, resp))
        ids = []
        for i in range(4):  # each POST on a new connection, so either process
            _, created = call(
                port,
                "POST",
                "/api/v1/notifications/",
                {"recipients": [1], "title": f"n{i}"},
                token,
            )
            ids += created["ids"]
        for conn, resp in conns:
            got = []
            while len(got) < len(ids):
                line = resp.readline()
                if line.startswith(b'data: {"id"'):
                    got.append(json.loads(line[6:])["id"])
            assert got == ids
            conn.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, log.read_text()
    assert not os.path.exists(data_dir / "var" / "pgdata" / "postmaster.pid")


def test_workers_refuse_the_memory_broker(data_dir):
    env = leopard_env(data_dir, LEOPARD_BROKER="memory")
    result = subprocess.run(
        [sys.executable, "run.py", "serve", "--workers", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "needs LEOPARD_BROKER=postgres" in result.stderr
