"""Access tokens told apart from refresh tokens and from tokens not yet valid,
and the audience and issuer settings (issue 15)."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from leopard.auth import tokens

ME = "/api/v1/users/me/"
SECRET = "test-secret-" + "x" * 32
ROUTES = [
    ("GET", ME),
    ("GET", "/api/v1/notifications/"),
    ("GET", "/api/v1/tasks/"),
    ("POST", "/api/v1/notifications/stream/ticket/"),
]


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _token(user_id, key=SECRET, algorithm="HS256", **claims):
    now = int(time.time())
    base = {"sub": str(user_id), "iat": now, "exp": now + 60}
    return jwt.encode({**base, **claims}, key, algorithm=algorithm)


def _stream_path(token):
    return f"/api/v1/notifications/stream/?access_token={token}"


async def test_leopards_access_tokens_say_they_are_access_tokens(settings):
    claims = jwt.decode(tokens.issue(settings, 7), SECRET, algorithms=["HS256"])
    assert claims["token_type"] == "access" and claims["sub"] == "7"
    assert "aud" not in claims and "iss" not in claims


@pytest.mark.parametrize("method, path", ROUTES)
async def test_a_refresh_token_is_refused_by_every_bearer_route(
    client, make_user, method, path
):
    alice = await make_user()
    refresh = _token(alice.id, token_type="refresh", exp=int(time.time()) + 86400)
    resp = await client.request(method, path, headers=_bearer(refresh))
    assert resp.status == 401
    assert "not an access token" in (await resp.json())["error"]["message"]
    # The same claims as an access token are accepted.
    access = _token(alice.id, token_type="access")
    assert (await client.request(method, path, headers=_bearer(access))).status < 300


async def test_a_refresh_token_is_refused_by_the_stream(client, make_user):
    alice = await make_user()
    refresh = _token(alice.id, token_type="refresh")
    resp = await client.get(_stream_path(refresh))
    assert resp.status == 401
    resp = await client.get(ME, headers=_bearer(refresh))
    assert resp.status == 401  # and it was not remembered as verified either


async def test_a_simplejwt_refresh_token_is_refused_under_rs256(
    aiohttp_client, make_app, make_user
):
    """The finding of issue 15: RS256, `user_id`, SimpleJWT's refresh token."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = (
        private.public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )
    client = await aiohttp_client(
        make_app(jwt_algorithm="RS256", jwt_public_key=public, jwt_user_claim="user_id")
    )
    alice = await make_user()

    def simplejwt(kind, lifetime):
        now = int(time.time())
        claims = {"token_type": kind, "exp": now + lifetime, "iat": now}
        claims.update(jti="0" * 32, user_id=alice.id)
        return jwt.encode(claims, private, algorithm="RS256")

    refresh, access = simplejwt("refresh", 86400), simplejwt("access", 300)
    assert (await client.get(ME, headers=_bearer(refresh))).status == 401
    assert (await client.get(_stream_path(refresh))).status == 401
    assert (await client.get(ME, headers=_bearer(access))).status == 200


@pytest.mark.parametrize("claim", ["nbf", "iat"])
async def test_a_token_from_the_future_is_refused_beyond_30s_of_leeway(
    client, make_user, claim
):
    alice = await make_user()
    now = int(time.time())
    future = _token(alice.id, **{claim: now + 90}, exp=now + 300)
    resp = await client.get(ME, headers=_bearer(future))
    assert resp.status == 401 and "future" in (await resp.json())["error"]["message"]
    assert (await client.get(_stream_path(future))).status == 401
    # A clock a little ahead is forgiven.
    skewed = _token(alice.id, **{claim: now + 20}, exp=now + 300)
    assert (await client.get(ME, headers=_bearer(skewed))).status == 200


async def test_expiry_gets_no_leeway(client, make_user):
    alice = await make_user()
    expired = _token(alice.id, exp=int(time.time()) - 2)
    assert (await client.get(ME, headers=_bearer(expired))).status == 401


async def test_audience_and_issuer_when_set_are_carried_and_required(
    aiohttp_client, make_app, make_user, settings
):
    from dataclasses import replace

    client = await aiohttp_client(
        make_app(jwt_audience="leopard-api", jwt_issuer="https://office.example/")
    )
    alice = await make_user()
    ours = tokens.issue(
        replace(
            settings, jwt_audience="leopard-api", jwt_issuer="https://office.example/"
        ),
        alice.id,
    )
    claims = jwt.decode(ours, SECRET, algorithms=["HS256"], audience="leopard-api")
    assert (claims["aud"], claims["iss"]) == ("leopard-api", "https://office.example/")
    assert (await client.get(ME, headers=_bearer(ours))).status == 200
    good = {"aud": "leopard-api", "iss": "https://office.example/"}
    refused = [
        {},  # neither
        {"aud": "leopard-api"},  # no issuer
        {"iss": "https://office.example/"},  # no audience
        {**good, "aud": "another-api"},
        {**good, "iss": "https://elsewhere.example/"},
    ]
    for claims in refused:
        token = _token(alice.id, **claims)
        assert (await client.get(ME, headers=_bearer(token))).status == 401, claims
    assert (
        await client.get(ME, headers=_bearer(_token(alice.id, **good)))
    ).status == 200
    # A token made without the setting (alice's fixture token) is refused too.
    assert (await client.get(ME, headers=alice.headers)).status == 401


async def test_without_the_setting_an_audience_is_no_reason_to_refuse(
    client, make_user
):
    alice = await make_user()
    token = _token(alice.id, aud="someone-else", iss="anyone")
    assert (await client.get(ME, headers=_bearer(token))).status == 200
