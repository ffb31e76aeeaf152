"""The security headers, on every family of routes, and HEAD wherever GET."""

import pytest

from leopard.web.headers import PAGES

from ..support.sse import SSE

pytestmark = pytest.mark.hardening

ME = "/api/v1/users/me/"
STREAM = "/api/v1/notifications/stream/"


async def _every_family(client, headers):
    """(what, response) for each kind of answer the server gives."""
    return [
        ("api", await client.get(ME, headers=headers)),
        ("api error", await client.get(ME)),
        ("unmatched", await client.get("/api/v1/nowhere/")),
        ("health", await client.get("/healthz")),
        ("readiness", await client.get("/readyz/")),
        ("metrics", await client.get("/metrics")),
        ("spec", await client.get("/api/docs/swagger.json")),
        ("docs asset", await client.get("/api/docs/static/swagger-ui.css")),
        ("inbox asset", await client.get("/static/app.css")),
        ("docs", await client.get("/api/docs/")),
        ("docs twin", await client.get("/api/docs")),
        ("inbox", await client.get("/")),
    ]


async def test_every_response_carries_nosniff_and_html_its_csp_and_deny(
    client, make_user
):
    alice = await make_user()
    for what, resp in await _every_family(client, alice.headers):
        assert resp.status < 500, what
        assert resp.headers["X-Content-Type-Options"] == "nosniff", what
        if resp.content_type == "text/html":
            assert resp.headers["X-Frame-Options"] == "DENY", what
            csp = resp.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        else:
            assert "X-Frame-Options" not in resp.headers, what
    async with SSE.open(client, headers=alice.headers) as stream:
        assert stream.resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_each_page_gets_its_own_policy(client):
    inbox, docs = await client.get("/"), await client.get("/api/docs/")
    assert inbox.headers["Content-Security-Policy"] == PAGES["inbox"]
    assert docs.headers["Content-Security-Policy"] == PAGES["swagger.docs"]
    # Neither runs an inline script or anything from another origin.
    for policy in PAGES.values():
        script = next(d for d in policy.split("; ") if d.startswith("script-src"))
        assert script == "script-src 'self'"
        assert "default-src 'none'" in policy


@pytest.mark.parametrize(
    "path, auth",
    [
        ("/", False),
        ("/static/main.js", False),
        ("/api/docs/", False),
        ("/api/docs", False),
        ("/api/docs/swagger.json", False),
        ("/api/docs/static/swagger-ui-bundle.js", False),
        ("/healthz", False),
        ("/readyz/", False),
        ("/metrics", False),
        (ME, True),
        ("/api/v1/tasks", True),
        (STREAM, True),
    ],
)
async def test_head_answers_wherever_get_does_with_the_same_headers_and_no_body(
    client, make_user, path, auth
):
    alice = await make_user()
    headers = alice.headers if auth else {}
    head = await client.head(path, headers=headers)
    assert head.status == 200, path
    assert await head.read() == b""
    assert head.headers["X-Content-Type-Options"] == "nosniff"
    if path != STREAM:  # GET would hold the stream open
        get = await client.get(path, headers=headers)
        assert head.content_type == get.content_type
    else:
        assert head.content_type == "text/event-stream"


async def test_head_is_authenticated_like_get(client):
    resp = await client.head(ME)
    assert resp.status == 401
    assert resp.headers["WWW-Authenticate"] == "Bearer"
