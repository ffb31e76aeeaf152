"""Cookies carry Secure when the client came over TLS: through a trusted
proxy that says so in X-Forwarded-Proto, never because any peer said so."""

import ipaddress

import pytest

pytestmark = pytest.mark.hardening

TRUSTED = (ipaddress.ip_network("127.0.0.1/32"),)
TICKET = "/api/v1/notifications/stream/ticket/"


def _attributes(resp, name: str) -> list[str]:
    [cookie] = [c for c in resp.headers.getall("Set-Cookie") if c.startswith(name)]
    return [part.strip() for part in cookie.split(";")]


@pytest.mark.parametrize(
    "trusted, proto, secure",
    [
        (TRUSTED, "https", True),
        (TRUSTED, "HTTPS", True),
        (TRUSTED, "http", False),
        (TRUSTED, None, False),
        (TRUSTED, "https, http", False),  # the nearest proxy's entry is last
        ((), "https", False),  # a peer that is no trusted proxy claims it
    ],
    ids=["trusted", "case", "plain", "absent", "last-entry", "untrusted"],
)
async def test_cookies_are_secure_exactly_when_a_trusted_proxy_says_https(
    make_app, serve, make_user, trusted, proto, secure
):
    client = await serve(make_app(trusted_proxies=trusted))
    alice = await make_user()
    forwarded = {"X-Forwarded-Proto": proto} if proto else {}
    signin = {"username": alice.username, "password": alice.password}
    answers = {
        "leopard_refresh": await client.post(
            "/api/v1/auth/token/", json=signin, headers=forwarded
        ),
        "leopard_stream": await client.post(
            TICKET, headers={**alice.headers, **forwarded}
        ),
    }
    answers["leopard_stream=;"] = await client.delete(TICKET, headers=forwarded)
    answers["leopard_refresh=;"] = await client.post(
        "/api/v1/auth/logout/", headers=forwarded
    )
    for name, resp in answers.items():
        assert resp.status in (200, 204), name
        attributes = _attributes(resp, name.rstrip(";"))
        assert ("Secure" in attributes) is secure, (name, attributes)
        assert "HttpOnly" in attributes and "SameSite=Strict" in attributes
