import asyncio
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from leopard.auth import tokens

ME = "/api/v1/users/me/"


async def test_sign_in_returns_a_bearer_token_that_works(client, make_user):
    alice = await make_user()
    resp = await client.post(
        "/api/v1/auth/token/",
        json={"username": alice.username, "password": alice.password},
    )
    assert resp.status == 200
    body = await resp.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    me = await client.get(
        ME, headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status == 200
    assert (await me.json())["username"] == alice.username


async def test_sign_in_ignores_username_case(client, make_user):
    alice = await make_user()
    resp = await client.post(
        "/api/v1/auth/token/",
        json={"username": alice.username.upper(), "password": alice.password},
    )
    assert resp.status == 200


@pytest.mark.parametrize("which", ["password", "username"])
async def test_bad_credentials_answer_401(client, make_user, which):
    alice = await make_user()
    creds = {"username": alice.username, "password": alice.password}
    creds[which] += "x"
    resp = await client.post("/api/v1/auth/token/", json=creds)
    assert resp.status == 401
    assert (await resp.json())["error"]["code"] == "unauthorized"


async def test_a_deactivated_user_cannot_sign_in(client, make_user, engine):
    alice = await make_user()
    await _deactivate(engine, alice.id)
    resp = await client.post(
        "/api/v1/auth/token/",
        json={"username": alice.username, "password": alice.password},
    )
    assert resp.status == 401


async def _deactivate(engine, user_id):
    from leopard.live.broker import MemoryBroker
    from leopard.live.hub import Hub
    from leopard.services.users import update_user

    await update_user(engine, MemoryBroker(Hub()), user_id, is_active=False)


def _forge(claims, key="test-secret-" + "x" * 32, algorithm="HS256", **kw):
    return jwt.encode(claims, key, algorithm=algorithm, **kw)


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _claims(user_id, **extra):
    return {"sub": str(user_id), "exp": int(time.time()) + 60, **extra}


@pytest.mark.parametrize(
    "label",
    ["none", "expired", "wrong-secret", "no-exp", "garbage", "unknown-user", "scheme"],
)
async def test_bad_tokens_of_every_kind_answer_401(client, make_user, label):
    alice = await make_user()
    claims = _claims(alice.id)
    headers = {
        "none": _bearer(_forge(claims, key=None, algorithm="none")),
        "expired": _bearer(_forge({**claims, "exp": int(time.time()) - 5})),
        "wrong-secret": _bearer(_forge(claims, key="another-secret-" + "y" * 32)),
        "no-exp": _bearer(_forge({"sub": str(alice.id)})),
        "garbage": _bearer("not.a.jwt"),
        "unknown-user": _bearer(_forge(_claims(10**12))),
        "scheme": {"Authorization": f"Token {alice.token}"},
    }[label]
    resp = await client.get(ME, headers=headers)
    assert resp.status == 401
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    body = await resp.json()
    assert body["error"]["status"] == 401 and body["error"]["message"]


async def test_no_token_answers_401_with_the_bearer_challenge(client):
    resp = await client.get(ME)
    assert resp.status == 401
    assert resp.headers["WWW-Authenticate"] == "Bearer"


async def test_a_deactivated_users_token_is_refused_on_the_next_request(
    client, make_user
):
    alice, admin = await make_user(), await make_user("admin")
    assert (await client.get(ME, headers=alice.headers)).status == 200  # cached
    resp = await client.patch(
        f"/api/v1/users/{alice.id}/", json={"is_active": False}, headers=admin.headers
    )
    assert resp.status == 200
    assert (await client.get(ME, headers=alice.headers)).status == 401


async def test_a_role_change_applies_to_the_next_request(client, make_user):
    alice, admin = await make_user(), await make_user("admin")
    rename = (f"/api/v1/users/{admin.id}/", {"full_name": "Renamed"})
    resp = await client.patch(rename[0], json=rename[1], headers=alice.headers)
    assert resp.status == 403
    resp = await client.patch(
        f"/api/v1/users/{alice.id}/", json={"role": "admin"}, headers=admin.headers
    )
    assert resp.status == 200
    resp = await client.patch(rename[0], json=rename[1], headers=alice.headers)
    assert resp.status == 200


async def test_a_change_made_outside_leopard_is_seen_within_the_cache_time(
    client, make_user, engine
):
    """Straight in the table, with no broker to tell the server: the cached
    row serves until it expires, then the change applies."""
    from leopard.keys import USERS

    cache = client.app[USERS]
    cache.seconds = 0.5
    alice = await make_user()
    assert (await client.get(ME, headers=alice.headers)).status == 200
    await _deactivate(engine, alice.id)
    assert (await client.get(ME, headers=alice.headers)).status == 200  # cached
    await asyncio.sleep(0.6)
    assert (await client.get(ME, headers=alice.headers)).status == 401


async def test_a_stream_only_token_is_refused_by_the_rest_api(
    client, make_user, settings
):
    alice = await make_user()
    stream_token = tokens.issue(settings, alice.id, scope=tokens.STREAM_SCOPE)
    assert (await client.get(ME, headers=_bearer(stream_token))).status == 401


async def test_the_user_claim_setting_reads_simplejwt_tokens(
    aiohttp_client, make_app, make_user
):
    client = await aiohttp_client(make_app(jwt_user_claim="user_id"))
    alice = await make_user()
    token = _forge({"user_id": alice.id, "exp": int(time.time()) + 60})
    resp = await client.get(ME, headers=_bearer(token))
    assert resp.status == 200 and (await resp.json())["id"] == alice.id
    # A token carrying the id only in `sub` is not read under this setting.
    assert (
        await client.get(ME, headers=_bearer(_forge(_claims(alice.id))))
    ).status == 401


def _rsa():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private, _public_pem(private)


def _public_pem(private):
    return (
        private.public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
async def test_tokens_issued_elsewhere_are_verified_with_the_public_key(
    aiohttp_client, make_app, make_user, algorithm
):
    if algorithm == "RS256":
        private, public = _rsa()
    else:
        private = ec.generate_private_key(ec.SECP256R1())
        public = _public_pem(private)
    client = await aiohttp_client(
        make_app(jwt_algorithm=algorithm, jwt_public_key=public)
    )
    alice = await make_user()
    good = _forge(_claims(alice.id), key=private, algorithm=algorithm)
    assert (await client.get(ME, headers=_bearer(good))).status == 200
    # Leopard's own HS256 tokens keep working beside them.
    assert (await client.get(ME, headers=alice.headers)).status == 200
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if algorithm == "RS256":
        forged = _forge(_claims(alice.id), key=other, algorithm=algorithm)
        assert (await client.get(ME, headers=_bearer(forged))).status == 401


async def test_algorithm_confusion_with_the_public_key_as_hmac_secret_is_refused(
    aiohttp_client, make_app, make_user
):
    _, public = _rsa()
    client = await aiohttp_client(
        make_app(jwt_algorithm="RS256", jwt_public_key=public)
    )
    alice = await make_user()
    # PyJWT refuses to HMAC with a PEM key, so forge the HS256 signature by hand.
    import base64
    import hashlib
    import hmac
    import json

    def b64(raw):
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(_claims(alice.id)).encode())
    signature = hmac.new(
        public.encode(), f"{header}.{payload}".encode(), hashlib.sha256
    )
    token = f"{header}.{payload}.{b64(signature.digest())}"
    assert (await client.get(ME, headers=_bearer(token))).status == 401


async def test_an_algorithm_other_than_the_configured_one_is_refused(client, make_user):
    alice = await make_user()
    private, _ = _rsa()
    token = _forge(_claims(alice.id), key=private, algorithm="RS256")
    assert (await client.get(ME, headers=_bearer(token))).status == 401


@pytest.mark.parametrize(
    "sub",
    [
        "18446744073709551616",  # 2^64: past a bigint, once a 500
        str(2**63),
        2**63,
        "1.5",
        1.5,
        " {id} ",
        "+{id}",
        "0{id}",
        "\uff11",  # a full-width 1: int() reads it as 1
        True,
        "",
        0,
        -1,
    ],
)
async def test_a_user_claim_that_is_not_a_canonical_id_is_refused(
    client, make_user, sub
):
    alice = await make_user()
    if isinstance(sub, str):
        sub = sub.replace("{id}", str(alice.id))
    resp = await client.get(
        ME, headers=_bearer(_forge({**_claims(alice.id), "sub": sub}))
    )
    assert resp.status == 401, await resp.text()
    assert (await resp.json())["error"]["message"] == (
        "the token's claim 'sub' is not a user id"
    )


async def test_a_user_claim_as_digits_or_as_a_json_integer_is_read(client, make_user):
    alice = await make_user()
    for sub in (str(alice.id), alice.id):
        token = _forge({**_claims(alice.id), "sub": sub})
        resp = await client.get(ME, headers=_bearer(token))
        assert resp.status == 200 and (await resp.json())["id"] == alice.id


async def test_tokens_from_before_a_deactivation_stay_refused_after_reactivation(
    client, make_user
):
    alice, admin = await make_user(), await make_user("admin")
    ticket = await client.post(
        "/api/v1/notifications/stream/ticket/", headers=alice.headers
    )
    stream_cookie = ticket.cookies["leopard_stream"].value
    elsewhere = _forge(  # as another issuer's: whole seconds, or no iat at all
        {**_claims(alice.id), "iat": int(time.time())}
    )
    undated = _forge(_claims(alice.id))
    for token in (alice.token, elsewhere, undated):
        assert (await client.get(ME, headers=_bearer(token))).status == 200
    path = f"/api/v1/users/{alice.id}/"
    for active in (False, True):
        resp = await client.patch(
            path, json={"is_active": active}, headers=admin.headers
        )
        assert resp.status == 200
    for token in (alice.token, elsewhere, undated):
        resp = await client.get(ME, headers=_bearer(token))
        assert resp.status == 401
        assert (await resp.json())["error"]["message"] == (
            "the token was issued before its user was deactivated"
        )
    stream = await client.get(
        "/api/v1/notifications/stream/", cookies={"leopard_stream": stream_cookie}
    )
    assert stream.status == 401
    # Signing in again, at once, gives a token that works.
    resp = await client.post(
        "/api/v1/auth/token/",
        json={"username": alice.username, "password": alice.password},
    )
    fresh = (await resp.json())["access_token"]
    me = await client.get(ME, headers=_bearer(fresh))
    assert me.status == 200
    assert set(await me.json()) == {
        "id",
        "username",
        "full_name",
        "email",
        "role",
        "is_active",
    }
