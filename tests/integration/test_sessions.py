"""Refresh sessions: rotation, reuse detection, logout, and the revocations
that end every session of a user (issue 15)."""

import asyncio

import jwt
import pytest

from leopard.auth import tokens

ME = "/api/v1/users/me/"
SIGN_IN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
SECRET = "test-secret-" + "x" * 32


async def sign_in(client, person, **kwargs):
    resp = await client.post(
        SIGN_IN, json={"username": person.username, "password": person.password}
    )
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def refresh(client, token=None, **kwargs):
    body = {"refresh_token": token} if token is not None else None
    return await client.post(REFRESH, json=body, **kwargs)


async def me(client, access_token):
    resp = await client.get(ME, headers={"Authorization": f"Bearer {access_token}"})
    return resp.status


async def test_sign_in_answers_a_refresh_token_and_sets_the_cookie(client, make_user):
    alice = await make_user()
    resp = await client.post(
        SIGN_IN, json={"username": alice.username, "password": alice.password}
    )
    body = await resp.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["refresh_expires_in"] == 604800
    assert len(body["refresh_token"]) >= 40 and body["refresh_token"].count(".") == 0
    cookie = resp.cookies["leopard_refresh"]
    assert cookie.value == body["refresh_token"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == "/api/v1/auth/" and cookie["max-age"] == "604800"
    claims = jwt.decode(body["access_token"], SECRET, algorithms=["HS256"])
    assert claims["token_type"] == "access" and isinstance(claims["sid"], int)


async def test_only_a_hash_of_the_refresh_token_is_stored(client, make_user, engine):
    alice = await make_user()
    token = (await sign_in(client, alice))["refresh_token"]
    async with engine.acquire() as conn:
        stored = await conn.scalar(
            "SELECT string_agg(token_hash, ',') FROM refresh_tokens t"
            " JOIN refresh_sessions s ON s.id = t.session_id WHERE s.user_id = %s",
            (alice.id,),
        )
    assert stored and token not in stored and len(stored) == 64


async def test_a_refresh_rotates_both_tokens_in_the_same_session(client, make_user):
    alice = await make_user()
    first = await sign_in(client, alice)
    resp = await refresh(client, first["refresh_token"])
    assert resp.status == 200
    second = await resp.json()
    assert set(second) == set(first)
    assert second["refresh_token"] != first["refresh_token"]
    assert resp.cookies["leopard_refresh"].value == second["refresh_token"]
    assert await me(client, second["access_token"]) == 200
    sid = [
        jwt.decode(b["access_token"], SECRET, algorithms=["HS256"])["sid"]
        for b in (first, second)
    ]
    assert sid[0] == sid[1]
    # And again: the chain goes on as long as each token is used once.
    resp = await refresh(client, second["refresh_token"])
    assert resp.status == 200


async def test_a_reused_refresh_token_revokes_its_whole_session(client, make_user):
    alice = await make_user()
    r1 = (await sign_in(client, alice))["refresh_token"]
    r2 = (await (await refresh(client, r1)).json())["refresh_token"]
    r3 = (await (await refresh(client, r2)).json())["refresh_token"]
    other = (await sign_in(client, alice))["refresh_token"]  # a second sign-in
    resp = await refresh(client, r1)  # a thief replays the first one
    assert resp.status == 401
    assert "already used" in (await resp.json())["error"]["message"]
    # Every descendant is dead now, the newest included...
    for token in (r3, r2, r1):
        assert (await refresh(client, token)).status == 401
    # ... but another sign-in of the same user is another session.
    assert (await refresh(client, other)).status == 200


async def test_the_cookie_alone_refreshes_and_is_replaced(client, make_user):
    alice = await make_user()
    await sign_in(client, alice)  # the test client keeps the cookie
    old = client.session.cookie_jar.filter_cookies(client.make_url("/api/v1/auth/"))[
        "leopard_refresh"
    ].value
    resp = await client.post(REFRESH)  # no body at all, as a browser may send
    assert resp.status == 200, await resp.text()
    new = (await resp.json())["refresh_token"]
    assert new != old and resp.cookies["leopard_refresh"].value == new
    client.session.cookie_jar.clear()
    assert (await refresh(client, cookies={"leopard_refresh": old})).status == 401


async def test_the_body_wins_over_the_cookie(client, make_user):
    alice, bob = await make_user(), await make_user()
    await sign_in(client, alice)
    bobs = (await sign_in(client, bob))["refresh_token"]
    await sign_in(client, alice)  # the cookie is alice's again
    resp = await refresh(client, bobs)
    claims = jwt.decode(
        (await resp.json())["access_token"], SECRET, algorithms=["HS256"]
    )
    assert claims["sub"] == str(bob.id)


@pytest.mark.parametrize("kind", ["access", "stream", "garbage", "none"])
async def test_the_refresh_route_refuses_anything_but_a_refresh_token(
    client, make_user, settings, kind
):
    alice = await make_user()
    token = {
        "access": alice.token,
        "stream": tokens.issue(settings, alice.id, scope=tokens.STREAM_SCOPE),
        "garbage": "x" * 43,
        "none": None,
    }[kind]
    client.session.cookie_jar.clear()
    resp = await refresh(client, token, headers=alice.headers)
    assert resp.status == 401
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert (await resp.json())["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    "body, status",
    [({"refresh_token": ""}, 422), ({"refresh_token": 5}, 422), ({"x": "y"}, 422)],
)
async def test_a_bad_refresh_body_is_refused_with_its_field(client, body, status):
    resp = await client.post(REFRESH, json=body)
    assert resp.status == status
    assert (await resp.json())["error"]["fields"]


async def test_a_body_that_is_not_an_object_is_400(client):
    resp = await client.post(REFRESH, json=["token"])
    assert resp.status == 400


async def test_an_expired_refresh_token_is_refused(serve, make_app, make_user):
    client = await serve(make_app(refresh_ttl=1))
    alice = await make_user()
    body = await sign_in(client, alice)
    assert body["refresh_expires_in"] == 1
    await asyncio.sleep(1.3)
    resp = await refresh(client, body["refresh_token"])
    assert resp.status == 401 and "expired" in (await resp.json())["error"]["message"]


async def test_each_refresh_gives_the_full_lifetime_again(
    serve, make_app, make_user, engine
):
    client = await serve(make_app(refresh_ttl=3))
    alice = await make_user()
    token = (await sign_in(client, alice))["refresh_token"]
    for _ in range(3):  # 4.5 s in all, past the first token's 3 s
        await asyncio.sleep(1.5)
        resp = await refresh(client, token)
        assert resp.status == 200
        token = (await resp.json())["refresh_token"]


async def test_logout_revokes_the_session_and_expires_the_cookie(client, make_user):
    alice = await make_user()
    body = await sign_in(client, alice)
    resp = await client.post(LOGOUT, json={"refresh_token": body["refresh_token"]})
    assert resp.status == 204
    cookie = resp.cookies["leopard_refresh"]
    assert cookie.value == "" and cookie["path"] == "/api/v1/auth/"
    assert (await refresh(client, body["refresh_token"])).status == 401


async def test_logout_by_cookie(client, make_user):
    alice = await make_user()
    token = (await sign_in(client, alice))["refresh_token"]
    assert (await client.post(LOGOUT)).status == 204
    assert (await refresh(client, token)).status == 401


@pytest.mark.parametrize("body", [None, {}, {"refresh_token": "never-issued"}])
async def test_logout_with_nothing_to_revoke_still_signs_out(client, body):
    client.session.cookie_jar.clear()
    assert (await client.post(LOGOUT, json=body)).status == 204


async def test_logout_ends_one_session_only(client, make_user):
    alice = await make_user()
    laptop, phone = await sign_in(client, alice), await sign_in(client, alice)
    await client.post(LOGOUT, json={"refresh_token": laptop["refresh_token"]})
    assert (await refresh(client, phone["refresh_token"])).status == 200


@pytest.mark.parametrize(
    "change", [{"is_active": False}, {"password": "a-brand-new-one"}]
)
async def test_deactivation_or_a_new_password_revokes_every_session(
    client, make_user, change
):
    alice, admin = await make_user(), await make_user("admin")
    sessions = [(await sign_in(client, alice))["refresh_token"] for _ in range(2)]
    theirs = (await sign_in(client, admin))["refresh_token"]
    resp = await client.patch(
        f"/api/v1/users/{alice.id}/", json=change, headers=admin.headers
    )
    assert resp.status == 200
    if "is_active" in change:  # back again: the sessions stay revoked
        resp = await client.patch(
            f"/api/v1/users/{alice.id}/",
            json={"is_active": True},
            headers=admin.headers,
        )
        assert resp.status == 200
    for token in sessions:
        assert (await refresh(client, token)).status == 401
    assert (await refresh(client, theirs)).status == 200  # nobody else's


async def test_another_change_revokes_nothing(client, make_user):
    alice, admin = await make_user(), await make_user("admin")
    token = (await sign_in(client, alice))["refresh_token"]
    resp = await client.patch(
        f"/api/v1/users/{alice.id}/", json={"full_name": "A"}, headers=admin.headers
    )
    assert resp.status == 200
    assert (await refresh(client, token)).status == 200


async def test_concurrent_uses_of_one_refresh_token_let_one_through_and_revoke(
    client, make_user
):
    """Eight requests race with one token, five times: exactly one gets new
    tokens, and since the token was presented again, its session is revoked,
    the winner's new token with it."""
    alice = await make_user()
    for _ in range(5):
        token = (await sign_in(client, alice))["refresh_token"]
        client.session.cookie_jar.clear()
        answers = await asyncio.gather(*(refresh(client, token) for _ in range(8)))
        statuses = sorted(r.status for r in answers)
        assert statuses == [200] + [401] * 7
        winner = next(r for r in answers if r.status == 200)
        new = (await winner.json())["refresh_token"]
        assert (await refresh(client, new)).status == 401


async def _count(engine, sql, user_id):
    async with engine.acquire() as conn:
        return await conn.scalar(sql, (user_id,))


SESSIONS = "SELECT count(*) FROM refresh_sessions WHERE user_id = %s"
TOKENS = (
    "SELECT count(*) FROM refresh_tokens t JOIN refresh_sessions s"
    " ON s.id = t.session_id WHERE s.user_id = %s"
)


async def test_ended_sessions_are_cleared_away_at_the_next_sign_in(
    serve, make_app, make_user, engine
):
    client = await serve(make_app(refresh_ttl=1))
    alice = await make_user()
    await sign_in(client, alice)  # will expire
    gone = await sign_in(client, alice)
    await client.post(LOGOUT, json={"refresh_token": gone["refresh_token"]})
    assert await _count(engine, SESSIONS, alice.id) == 2
    await asyncio.sleep(1.2)
    await sign_in(client, alice)
    assert await _count(engine, SESSIONS, alice.id) == 1


async def test_a_refresh_clears_its_sessions_expired_tokens(
    serve, make_app, make_user, engine
):
    client = await serve(make_app(refresh_ttl=2))
    alice = await make_user()
    token = (await sign_in(client, alice))["refresh_token"]
    for _ in range(2):
        await asyncio.sleep(1.1)
        token = (await (await refresh(client, token)).json())["refresh_token"]
    # The first (used, expired) is gone; the second (used, alive: still a
    # witness of reuse) and the third (unused) remain.
    assert await _count(engine, TOKENS, alice.id) == 2
    assert (await refresh(client, token)).status == 200
