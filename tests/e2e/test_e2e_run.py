"""End to end: `python run.py` as a new user runs it, over real HTTP."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from ..support.common import ROOT
from ..support.processes import call, free_port, leopard_env, run

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(tmp_path, data_dir):
    port = free_port()
    env = leopard_env(data_dir, LEOPARD_PORT=str(port))
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "run.py"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    password, deadline = None, time.monotonic() + 60
    while password is None and time.monotonic() < deadline and proc.poll() is None:
        for line in log.read_text().splitlines():
            if "Created user 'admin' with password:" in line:
                password = line.rsplit(" ", 1)[1].strip()
        time.sleep(0.05)
    assert password, f"the first start prints the admin password: {log.read_text()}"
    while time.monotonic() < deadline:
        try:
            call(port, "GET", "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    yield proc, port, password, env
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_a_new_user_starts_leopard_and_signs_in(server):
    proc, port, password, env = server
    status, body = call(
        port, "POST", "/api/v1/auth/token/", {"username": "admin", "password": password}
    )
    assert status == 200 and body["token_type"] == "Bearer"
    status, me = call(port, "GET", "/api/v1/users/me/", token=body["access_token"])
    assert (status, me["username"], me["role"]) == (200, "admin", "admin")


def test_createuser_and_token_work_beside_the_running_server(server):
    proc, port, _, env = server
    created = run(env, "createuser", "erin", "--password", "long-enough", "--admin")
    assert created.returncode == 0, created.stderr
    user_id = int(created.stdout.strip())
    minted = run(env, "token", "erin")
    assert minted.returncode == 0, minted.stderr
    status, me = call(port, "GET", "/api/v1/users/me/", token=minted.stdout.strip())
    assert (me["id"], me["role"]) == (user_id, "admin")
    again = run(env, "createuser", "ERIN", "--password", "long-enough")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_sigterm_stops_the_server_and_its_database(server):
    proc, port, _, env = server
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    pgdata = env["LEOPARD_DATA_DIR"] + "/pgdata"
    assert not os.path.exists(os.path.join(pgdata, "postmaster.pid"))


def test_a_bad_setting_stops_with_one_clear_line(data_dir):
    result = run(leopard_env(data_dir, LEOPARD_PORT="eighty"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "leopard: configuration error: LEOPARD_PORT must be a number, got 'eighty'"
    ]


def test_createuser_without_a_password_and_without_a_terminal_refuses(data_dir):
    result = run(leopard_env(data_dir), "createuser", "frank")  # stdin closed
    assert result.returncode == 2 and "--password is required" in result.stderr


def test_migrate_applies_the_schema_and_exits(data_dir):
    result = run(leopard_env(data_dir), "migrate")
    assert result.returncode == 0, result.stderr
    assert "migrations applied" in result.stdout


def test_a_stream_sees_live_events_and_a_clean_end_on_shutdown(server):
    import http.client

    proc, port, password, env = server
    _, body = call(
        port, "POST", "/api/v1/auth/token/", {"username": "admin", "password": password}
    )
    token = body["access_token"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(
        "GET",
        "/api/v1/notifications/stream/",
        headers={"Authorization": f"Bearer {token}"},
    )
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.readline() == b"retry: 3000\n"
    call(
        port,
        "POST",
        "/api/v1/notifications/",
        {"recipients": "all", "title": "Hi"},
        token,
    )
    lines = []
    while not lines or not lines[-1].startswith(b'data: {"id"'):
        lines.append(resp.readline())
    assert b"event: notification\n" in lines
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    rest = resp.read()  # a clean end: the chunked body closes, no IncompleteRead
    conn.close()
    assert b"data:" not in rest
    assert proc.wait(timeout=30) == 0
    assert time.monotonic() - started < 10


def test_a_client_that_goes_away_is_noticed_at_once(server, tmp_path):
    proc, port, password, env = server
    _, body = call(
        port, "POST", "/api/v1/auth/token/", {"username": "admin", "password": password}
    )
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            b"GET /api/v1/notifications/stream/ HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + body["access_token"].encode() + b"\r\n\r\n"
        )
        assert sock.recv(1000).startswith(b"HTTP/1.1 200")
        time.sleep(0.5)  # well into the stream, waiting for events
    closed_at = time.monotonic()
    log = tmp_path / "server.log"
    while "reason=disconnected" not in log.read_text():
        assert time.monotonic() - closed_at < 1.0, "the disconnect went unnoticed"
        time.sleep(0.02)
