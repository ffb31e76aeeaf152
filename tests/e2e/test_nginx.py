"""nginx.conf as checked in (only its ports and paths rewritten) in front of
`python run.py` processes: streams stay unbuffered, tokens stay out of its log."""

import shutil
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from ..support.common import ROOT
from ..support.processes import ADMIN_PASSWORD, Leopard, Stream, call, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.nginx]

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
S = "/api/v1/notifications/stream/"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def adapted(upstreams: list[int], port: int, work: Path) -> str:
    """The checked-in file with its `# <- adapt` values pointed at this test."""
    text = (ROOT / "nginx.conf").read_text()
    servers = "".join(f"server 127.0.0.1:{p};\n        " for p in upstreams)
    temp = "".join(f"\n    {n}_temp_path {work}/{n};" for n in TEMP_PATHS)
    for marked, value in [
        ("pid /run/nginx-leopard.pid;", f"pid {work}/nginx.pid;"),
        ("/var/log/nginx/leopard-error.log", f"{work}/error.log"),
        ("/var/log/nginx/leopard-access.log", f"{work}/access.log"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("server 127.0.0.1:8080;  # <- adapt\n        ", servers),
        ("server 127.0.0.1:8081;  # <- adapt\n", "\n"),
        ("http {", "http {" + temp),
    ]:
        assert text.count(marked) == 1, f"nginx.conf no longer has {marked!r}"
        text = text.replace(marked, value)
    return text


@contextmanager
def nginx(upstreams: list[int]):
    # Outside pytest's 0700 tmp tree: nginx's workers run as another user.
    work = Path(tempfile.mkdtemp(prefix="leopard-nginx-"))
    work.chmod(0o755)
    port = free_port()
    conf = work / "nginx.conf"
    conf.write_text(adapted(upstreams, port, work))
    args = [NGINX, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")]
    with open(work / "nginx.out", "w") as out:
        proc = subprocess.Popen([*args, "-g", "daemon off;"], stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (work / "error.log").read_text()
            try:
                call(port, "GET", "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not answer"
                time.sleep(0.1)
        yield port, work
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def leopards(tmp_path, data_dir, fresh_database):
    started = []

    def start(n: int, **env) -> list[Leopard]:
        for i in range(n):  # one after the other: the first creates the admin
            leopard = Leopard(tmp_path, data_dir, f"leopard{i}", **env)
            started.append(leopard.start())
        return started

    with fresh_database() as url:
        yield lambda n, **env: start(n, LEOPARD_DATABASE_URL=url, **env)
        for leopard in started:
            leopard.stop()
            leopard.kill()


@pytest.mark.parametrize(
    "processes, broker", [(1, "memory"), (2, "postgres")], ids=["one", "two"]
)
def test_through_nginx_a_stream_gets_events_at_once_and_the_log_has_no_token(
    processes, broker, leopards
):
    assert NGINX, "nginx is not installed: scripts/test installs it (apt-get)"
    upstream = leopards(processes, LEOPARD_BROKER=broker)
    with nginx([leopard.port for leopard in upstream]) as (port, work):
        signin = {"username": "admin", "password": ADMIN_PASSWORD}
        token = call(port, "POST", "/api/v1/auth/token/", signin)[1]["access_token"]
        streams = []
        # Round robin: open streams until every process holds one.
        while not all("stream open user=1" in p.log.read_text() for p in upstream):
            assert len(streams) < 2 * processes, "nginx did not balance"
            stream = Stream("127.0.0.1", port, f"{S}?access_token={token}")
            # Unbuffered: the first bytes come through before any event.
            assert stream.resp.readline() == b"retry: 3000\n"
            stream.until("unread_count")
            streams.append(stream)
        started = time.monotonic()
        body = {"recipients": [1], "title": "through nginx"}
        _, created = call(port, "POST", "/api/v1/notifications/", body, token)
        for stream in streams:  # the connection stays open: no buffering
            frame = stream.until("notification")
            assert frame.id == str(created["ids"][0])
            assert time.monotonic() - started < 1.0, "late through the proxy"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics") as resp:
            assert b"leopard_streams_open" in resp.read()
        for stream in streams:
            stream.close()
        log = work / "access.log"
        deadline = time.monotonic() + 10
        while log.read_text().count(f" {S} ") < len(streams):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        text = log.read_text()
    assert f'"GET {S} HTTP/1.1" 200' in text
    assert token not in text and "access_token" not in text
    for leopard in upstream:
        assert token not in leopard.log.read_text()
