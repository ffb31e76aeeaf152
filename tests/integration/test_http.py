"""The conventions of the contract that hold for every route."""

import io
import logging

import pytest
from aiohttp import web

from leopard.web.middlewares import error_middleware

from ..support.common import drop_database


async def test_a_path_without_its_trailing_slash_reaches_the_same_handler(
    client, make_user
):
    alice = await make_user()
    resp = await client.get("/api/v1/users/me", headers=alice.headers)
    assert resp.status == 200 and (await resp.json())["id"] == alice.id
    assert not resp.history  # no redirect


async def test_a_post_without_the_trailing_slash_keeps_its_body(client, make_user):
    alice = await make_user()
    resp = await client.post(
        "/api/v1/auth/token",
        json={"username": alice.username, "password": alice.password},
        allow_redirects=False,
    )
    assert resp.status == 200 and "access_token" in await resp.json()


async def test_an_unknown_path_answers_a_json_404(client):
    resp = await client.get("/api/v1/nothing-here/")
    assert resp.status == 404
    assert (await resp.json())["error"] == {
        "status": 404,
        "code": "not_found",
        "message": "Not Found",
    }


async def test_a_wrong_method_answers_a_json_405_with_allow(client, make_user):
    resp = await client.delete("/api/v1/users/me/")
    assert resp.status == 405
    assert "GET" in resp.headers["Allow"]
    assert (await resp.json())["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "body, message",
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"", "JSON body is required"),
    ],
)
async def test_a_malformed_body_answers_400(client, body, message):
    resp = await client.post(
        "/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status == 400
    assert message in (await resp.json())["error"]["message"]


async def test_a_body_over_one_mebibyte_answers_413(client):
    resp = await client.post(
        "/api/v1/auth/token/",
        data=io.BytesIO(b'{"username": "' + b"a" * (1024**2 + 10) + b'"}'),
        headers={"Content-Type": "application/json"},
    )
    assert resp.status == 413
    assert (await resp.json())["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "offset=-1"])
async def test_a_malformed_query_answers_400_naming_the_parameter(
    client, make_user, query
):
    alice = await make_user()
    resp = await client.get(f"/api/v1/users/?{query}", headers=alice.headers)
    assert resp.status == 400
    error = (await resp.json())["error"]
    assert error["code"] == "bad_query"
    assert set(error["fields"]) == {query.split("=")[0]}


async def test_a_limit_above_200_is_cut_to_200(client, make_user):
    alice = await make_user()
    resp = await client.get("/api/v1/users/?limit=100000", headers=alice.headers)
    assert resp.status == 200


async def test_an_unexpected_error_is_a_500_without_a_traceback(aiohttp_client):
    async def broken(request):
        raise RuntimeError("secret internals")

    app = web.Application(middlewares=[error_middleware])
    app.router.add_get("/boom", broken)
    client = await aiohttp_client(app)
    resp = await client.get("/boom")
    assert resp.status == 500
    text = await resp.text()
    assert "secret internals" not in text and "Traceback" not in text
    assert (await resp.json())["error"]["code"] == "error"


async def test_a_pool_that_gives_no_connection_in_time_is_a_503_in_one_line(
    aiohttp_client, caplog
):
    """The pool's wait ends in a TimeoutError with no message: still a 503,
    and one log line that names it."""

    async def busy(request):
        raise TimeoutError()

    app = web.Application(middlewares=[error_middleware])
    app.router.add_get("/busy", busy)
    client = await aiohttp_client(app)
    with caplog.at_level(logging.WARNING, logger="leopard.http"):
        resp = await client.get("/busy")
    assert resp.status == 503
    assert (await resp.json())["error"]["code"] == "service_unavailable"
    lines = [r.getMessage() for r in caplog.records if r.name == "leopard.http"]
    assert lines == ["database unavailable: TimeoutError"]


async def test_healthz_answers_while_the_process_runs(client):
    resp = await client.get("/healthz")
    assert resp.status == 200 and (await resp.json())["status"] == "ok"


async def test_readyz_answers_503_when_the_database_is_gone(
    aiohttp_client, make_app, fresh_database, server_url
):
    with fresh_database() as url:
        client = await aiohttp_client(make_app(database_url=url))
        assert (await client.get("/readyz")).status == 200
        drop_database(server_url, url)
        resp = await client.get("/readyz")
        assert resp.status == 503
        assert (await resp.json())["database"] == "down"
        # The REST API says 503 too, not 500, and quickly.
        token = await client.post(
            "/api/v1/auth/token/", json={"username": "a", "password": "b"}
        )
        assert token.status == 503
        assert (await token.json())["error"]["code"] == "service_unavailable"
