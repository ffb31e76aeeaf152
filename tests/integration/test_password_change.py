"""POST /api/v1/users/me/password/: people change their own password."""

import ipaddress

import pytest

PASSWORD = "/api/v1/users/me/password/"
SIGN_IN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"


async def sign_in(client, username, password):
    return await client.post(SIGN_IN, json={"username": username, "password": password})


async def session(client, person):
    resp = await sign_in(client, person.username, person.password)
    assert resp.status == 200
    return await resp.json()


def bearer(answer):
    return {"Authorization": f"Bearer {answer['access_token']}"}


async def refreshes(client, answer):
    resp = await client.post(REFRESH, json={"refresh_token": answer["refresh_token"]})
    return resp.status == 200


async def test_a_user_changes_their_password(client, make_user):
    alice = await make_user()
    mine, laptop = await session(client, alice), await session(client, alice)
    resp = await client.post(
        PASSWORD,
        json={"current_password": alice.password, "new_password": "a-new-passphrase"},
        headers=bearer(mine),
    )
    assert resp.status == 204, await resp.text()
    assert (await sign_in(client, alice.username, alice.password)).status == 401
    assert (await sign_in(client, alice.username, "a-new-passphrase")).status == 200
    # The caller stays signed in; every other session is revoked.
    assert await refreshes(client, mine)
    assert not await refreshes(client, laptop)


async def test_without_a_session_in_the_token_every_session_is_revoked(
    client, make_user
):
    """A token from `run.py token` names no session: none is kept."""
    alice = await make_user()
    laptop = await session(client, alice)
    resp = await client.post(
        PASSWORD,
        json={"current_password": alice.password, "new_password": "a-new-passphrase"},
        headers=alice.headers,
    )
    assert resp.status == 204
    assert not await refreshes(client, laptop)


async def test_a_wrong_current_password_is_403_and_changes_nothing(client, make_user):
    alice = await make_user()
    laptop = await session(client, alice)
    resp = await client.post(
        PASSWORD,
        json={"current_password": "not-it", "new_password": "a-new-passphrase"},
        headers=alice.headers,
    )
    assert resp.status == 403
    assert (await resp.json())["error"]["code"] == "forbidden"
    assert (await sign_in(client, alice.username, alice.password)).status == 200
    assert await refreshes(client, laptop)


async def test_wrong_current_passwords_count_for_the_sign_in_throttle(
    serve, make_app, make_user
):
    # The suite's own failures all come from 127.0.0.1: speak for an address
    # of this test's own through a trusted proxy.
    proxy = (ipaddress.ip_network("127.0.0.1/32"),)
    client = await serve(make_app(login_max_failures=2, trusted_proxies=proxy))
    alice = await make_user()
    headers = {**alice.headers, "X-Forwarded-For": "192.0.2.77"}
    body = {"current_password": "not-it", "new_password": "a-new-passphrase"}
    for _ in range(2):
        resp = await client.post(PASSWORD, json=body, headers=headers)
        assert resp.status == 403
    resp = await client.post(PASSWORD, json=body, headers=headers)
    assert resp.status == 429 and resp.headers["Retry-After"]
    resp = await client.post(
        SIGN_IN,
        json={"username": alice.username, "password": alice.password},
        headers={"X-Forwarded-For": "192.0.2.78"},
    )
    assert resp.status == 429


@pytest.mark.parametrize(
    "body, field",
    [
        ({"current_password": "x", "new_password": "short"}, "new_password"),
        ({"new_password": "long-enough-1"}, "current_password"),
        ({"current_password": "x"}, "new_password"),
        ({"current_password": "x", "new_password": "long-enough", "y": 1}, "y"),
    ],
)
async def test_a_bad_body_is_422_and_changes_nothing(client, make_user, body, field):
    alice = await make_user()
    if "current_password" in body:
        body = {**body, "current_password": alice.password}
    resp = await client.post(PASSWORD, json=body, headers=alice.headers)
    assert resp.status == 422
    assert field in (await resp.json())["error"]["fields"]
    assert (await sign_in(client, alice.username, alice.password)).status == 200


async def test_the_route_needs_a_token(client):
    resp = await client.post(
        PASSWORD, json={"current_password": "a", "new_password": "long-enough"}
    )
    assert resp.status == 401
