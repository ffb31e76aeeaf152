"""nginx.conf as checked in (only its ports and paths rewritten) in front of
`python run.py` processes: streams stay unbuffered, tokens stay out of its log,
and over its TLS server block Leopard's cookies are Secure."""

import datetime
import http.client
import ipaddress
import json
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ..support.common import ROOT
from ..support.processes import ADMIN_PASSWORD, Leopard, Stream, call, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.nginx]

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
S = "/api/v1/notifications/stream/"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def adapted(upstreams: list[int], port: int, tls_port: int, work: Path) -> str:
    """The checked-in file with its `# <- adapt` values pointed at this test."""
    text = (ROOT / "nginx.conf").read_text()
    servers = "".join(f"server 127.0.0.1:{p};\n        " for p in upstreams)
    temp = "".join(f"\n    {n}_temp_path {work}/{n};" for n in TEMP_PATHS)
    for marked, value in [
        ("pid /run/nginx-leopard.pid;", f"pid {work}/nginx.pid;"),
        ("/var/log/nginx/leopard-error.log", f"{work}/error.log"),
        ("/var/log/nginx/leopard-access.log", f"{work}/access.log"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;"),
        ("/etc/letsencrypt/live/leopard.example/fullchain.pem", f"{work}/cert.pem"),
        ("/etc/letsencrypt/live/leopard.example/privkey.pem", f"{work}/key.pem"),
        ("server 127.0.0.1:8080;  # <- adapt\n        ", servers),
        ("server 127.0.0.1:8081;  # <- adapt\n", "\n"),
        ("http {", "http {" + temp),
    ]:
        assert text.count(marked) == 1, f"nginx.conf no longer has {marked!r}"
        text = text.replace(marked, value)
    return text


def self_signed(work: Path) -> Path:
    """A certificate for 127.0.0.1 and its key, made here, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (work / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (work / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return work / "cert.pem"


@dataclass
class Proxy:
    port: int  # plain HTTP
    tls_port: int  # the TLS server block
    work: Path
    cert: Path  # the self-signed certificate, for the client to trust

    def tls(self) -> http.client.HTTPSConnection:
        context = ssl.create_default_context(cafile=str(self.cert))
        return http.client.HTTPSConnection(
            "127.0.0.1", self.tls_port, context=context, timeout=10
        )


@contextmanager
def nginx(upstreams: list[int]):
    # Outside pytest's 0700 tmp tree: nginx's workers run as another user.
    work = Path(tempfile.mkdtemp(prefix="leopard-nginx-"))
    work.chmod(0o755)
    port, tls_port = free_port(), free_port()
    cert = self_signed(work)
    conf = work / "nginx.conf"
    conf.write_text(adapted(upstreams, port, tls_port, work))
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
        yield Proxy(port, tls_port, work, cert)
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
    with nginx([leopard.port for leopard in upstream]) as proxy:
        port, work = proxy.port, proxy.work
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


def _cookie(resp: http.client.HTTPResponse, name: str) -> list[str]:
    """The attributes of the cookie name that resp sets."""
    [cookie] = [c for c in resp.headers.get_all("Set-Cookie") if c.startswith(name)]
    return [part.strip() for part in cookie.split(";")]


def _post(conn, path, body=None, token=None) -> http.client.HTTPResponse:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request("POST", path, body=json.dumps(body or {}), headers=headers)
    resp = conn.getresponse()
    resp.read()
    return resp


def test_over_the_tls_block_cookies_are_secure_and_a_stream_stays_unbuffered(
    leopards,
):
    """nginx's TLS server block tells Leopard (which trusts it) that the
    client came over HTTPS: the refresh and stream cookies carry Secure there,
    and not through the plain server; a stream is as live as over HTTP."""
    assert NGINX, "nginx is not installed: scripts/test installs it (apt-get)"
    [leopard] = leopards(1, LEOPARD_TRUSTED_PROXIES="127.0.0.1")
    signin = {"username": "admin", "password": ADMIN_PASSWORD}
    with nginx([leopard.port]) as proxy:
        tls = proxy.tls()
        resp = _post(tls, "/api/v1/auth/token/", signin)
        assert resp.status == 200
        assert "Secure" in _cookie(resp, "leopard_refresh")
        token = leopard.token()
        resp = _post(tls, f"{S}ticket/", token=token)
        assert resp.status == 204
        assert "Secure" in _cookie(resp, "leopard_stream")
        assert resp.headers["X-Content-Type-Options"] == "nosniff"

        plain = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        resp = _post(plain, "/api/v1/auth/token/", signin)
        assert resp.status == 200
        assert "Secure" not in _cookie(resp, "leopard_refresh")
        tls.close()
        plain.close()

        stream = proxy.tls()
        stream.request("GET", S, headers={"Authorization": f"Bearer {token}"})
        live = stream.getresponse()
        assert live.status == 200
        assert live.readline() == b"retry: 3000\n"  # unbuffered
        started = time.monotonic()
        body = {"recipients": [1], "title": "over TLS"}
        _, created = leopard.call("POST", "/api/v1/notifications/", body, token)
        while (line := live.readline()) != f"id: {created['ids'][0]}\n".encode():
            assert line, "the stream ended"
        assert time.monotonic() - started < 1.0, "late through the TLS block"
        stream.close()
