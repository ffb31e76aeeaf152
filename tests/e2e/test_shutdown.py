"""Graceful shutdown of `python run.py`: SIGTERM and SIGINT stop accepting, end
every stream cleanly, let a request in flight finish, and a restart loses nothing."""

import json
import signal
import socket
import threading
import time
from contextlib import closing

import psycopg2
import pytest

from leopard.queries.notifications import LOCK_NS

from ..support.processes import Leopard, Stream

pytestmark = pytest.mark.e2e

S = "/api/v1/notifications/stream/"
BOUND = 10.0  # shutdown_timeout given to web.run_app


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_signal_ends_every_open_stream_cleanly_and_exits_zero(
    sig, tmp_path, data_dir
):
    leopard = Leopard(tmp_path, data_dir).start()  # on the embedded database
    try:
        token = leopard.token()
        auth = {"Authorization": f"Bearer {token}"}
        streams = [Stream("127.0.0.1", leopard.port, S, auth) for _ in range(3)]
        for stream in streams:
            stream.until("unread_count")
        leopard.call(
            "POST", "/api/v1/notifications/", {"recipients": "all", "title": "x"}, token
        )
        for stream in streams:
            stream.until("notification")
        started = time.monotonic()
        leopard.proc.send_signal(sig)
        for stream in streams:
            assert b"data:" not in stream.rest()  # no IncompleteRead: a clean end
            stream.close()
        assert leopard.proc.wait(timeout=30) == 0
        assert time.monotonic() - started < BOUND
    finally:
        leopard.kill()
    log = leopard.log.read_text()
    assert log.count("reason=shutdown") == 3, log
    assert "Traceback" not in log, log
    pgdata = data_dir / "var" / "pgdata"
    assert not (pgdata / "postmaster.pid").exists(), "the embedded database stopped"


def waiting_for_lock(url) -> bool:
    with closing(psycopg2.connect(url)) as conn, conn.cursor() as cur:
        # This database's waiters only: other suites may share the server.
        cur.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND database ="
            " (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return cur.fetchone()[0] > 0


def refused(port) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def test_a_request_in_flight_at_sigterm_completes_and_nothing_new_gets_in(
    tmp_path, data_dir, fresh_database
):
    with fresh_database() as url:
        leopard = Leopard(tmp_path, data_dir, LEOPARD_DATABASE_URL=url).start()
        token = leopard.token()
        # Hold the lock notification writers take: the POST below waits on it,
        # a slow request in flight for as long as the test wants.
        blocker = psycopg2.connect(url)
        blocker.autocommit = True
        blocker.cursor().execute("SELECT pg_advisory_lock(%s, 0)", (LOCK_NS,))
        answer = {}

        def post():
            body = {"recipients": [1], "title": "in flight"}
            answer["value"] = leopard.call(
                "POST", "/api/v1/notifications/", body, token
            )

        try:
            poster = threading.Thread(target=post)
            poster.start()
            deadline = time.monotonic() + 30
            while not waiting_for_lock(url):
                assert time.monotonic() < deadline, "the POST never reached the lock"
                time.sleep(0.05)
            started = time.monotonic()
            leopard.proc.send_signal(signal.SIGTERM)
            while not refused(leopard.port):  # stops accepting at once
                assert time.monotonic() - started < 5, "still accepting connections"
                time.sleep(0.05)
            time.sleep(0.5)
            assert leopard.proc.poll() is None, "it waits for the request in flight"
        finally:
            blocker.close()  # releases the lock: the request goes on
        poster.join(timeout=30)
        status, created = answer["value"]
        assert status == 201 and created["created"] == 1
        assert leopard.proc.wait(timeout=30) == 0
        assert time.monotonic() - started < BOUND
        with closing(psycopg2.connect(url)) as conn, conn.cursor() as cur:
            cur.execute("SELECT id FROM notifications WHERE title = 'in flight'")
            assert [row[0] for row in cur.fetchall()] == created["ids"]


def test_a_client_reconnecting_after_a_restart_gets_exactly_what_it_missed(
    tmp_path, data_dir, fresh_database
):
    with fresh_database() as url:
        leopard = Leopard(tmp_path, data_dir, LEOPARD_DATABASE_URL=url).start()
        admin = leopard.token()
        _, bob = leopard.call(
            "POST",
            "/api/v1/users/",
            {"username": "bob", "password": "bob-password"},
            admin,
        )
        bob_auth = {"Authorization": f"Bearer {leopard.token('bob', 'bob-password')}"}

        def send(title):
            body = {"recipients": [bob["id"]], "title": title}
            return leopard.call("POST", "/api/v1/notifications/", body, admin)[1]["ids"]

        stream = Stream("127.0.0.1", leopard.port, S, bob_auth)
        stream.until("unread_count")
        seen = send("seen 1") + send("seen 2")
        got = [stream.until("notification").id for _ in seen]
        assert got == [str(i) for i in seen]
        stream.close()  # bob goes away; what follows he misses
        missed = send("missed 1") + send("missed 2") + send("missed 3")
        assert leopard.stop() == 0

        leopard.start()  # the same database, the same secret
        headers = {**bob_auth, "Last-Event-ID": str(seen[-1])}
        stream = Stream("127.0.0.1", leopard.port, S, headers, timeout=3)
        frames = [stream.frame() for _ in range(len(missed) + 1)]
        assert [(f.event, f.id) for f in frames] == [
            *(("notification", str(i)) for i in missed),
            ("unread_count", None),
        ]
        assert json.loads(frames[-1].data) == {"unread_count": 5}
        with pytest.raises(TimeoutError):
            stream.frame()  # nothing more: no duplicate of what bob had seen
        stream.close()
        assert leopard.stop() == 0
