"""GET/PATCH /api/v1/users/me/preferences/: the defaults, each field, and
what is refused (and changes nothing)."""

import asyncio

import pytest

from ..support.tasks import get_json, send

P = "/api/v1/users/me/preferences/"
DEFAULTS = {
    "muted_types": [],
    "email": {
        "enabled": False,
        "types": [
            "TASK_ASSIGNED",
            "TASK_MENTIONED",
            "TASK_OVERDUE",
            "VISA_STATUS_UPDATE",
        ],
        "after_minutes": 15,
    },
}


async def test_a_new_user_has_the_defaults(client, make_user):
    bob = await make_user()
    assert await get_json(client, P, bob) == DEFAULTS


async def test_each_field_changes_alone_and_the_others_keep_their_value(
    client, make_user
):
    bob, other = await make_user(), await make_user()
    muted = await send(
        client, "PATCH", P, bob, {"muted_types": ["TASK_COMMENT", "TASK_UPDATED"]}
    )
    # In the vocabulary's order, whatever the order given.
    assert muted == {**DEFAULTS, "muted_types": ["TASK_UPDATED", "TASK_COMMENT"]}
    enabled = await send(client, "PATCH", P, bob, {"email": {"enabled": True}})
    assert enabled["email"] == {**DEFAULTS["email"], "enabled": True}
    assert enabled["muted_types"] == ["TASK_UPDATED", "TASK_COMMENT"]
    typed = await send(
        client, "PATCH", P, bob, {"email": {"types": ["SYSTEM", "SYSTEM"]}}
    )
    assert typed["email"] == {"enabled": True, "types": ["SYSTEM"], "after_minutes": 15}
    timed = await send(client, "PATCH", P, bob, {"email": {"after_minutes": 0}})
    assert timed["email"] == {"enabled": True, "types": ["SYSTEM"], "after_minutes": 0}
    assert await get_json(client, P, bob) == timed
    assert await send(client, "PATCH", P, bob, {}) == timed
    unmuted = await send(client, "PATCH", P, bob, {"muted_types": []})
    assert unmuted["muted_types"] == []
    # Nobody else's preferences moved.
    assert await get_json(client, P, other) == DEFAULTS


async def test_the_bounds_of_after_minutes_are_accepted(client, make_user):
    bob = await make_user()
    for minutes in (0, 1440):
        change = {"email": {"after_minutes": minutes}}
        body = await send(client, "PATCH", P, bob, change)
        assert body["email"]["after_minutes"] == minutes


@pytest.mark.parametrize(
    "body, field",
    [
        ({"muted_types": ["SYSTEM"]}, "muted_types"),
        ({"muted_types": ["TASK_COMMENT", "SYSTEM"]}, "muted_types"),
        ({"muted_types": ["NOT_A_TYPE"]}, "muted_types"),
        ({"muted_types": "TASK_COMMENT"}, "muted_types"),
        ({"muted_types": None}, "muted_types"),
        ({"email": {"types": ["NOPE"]}}, "email"),
        ({"email": {"after_minutes": -1}}, "email"),
        ({"email": {"after_minutes": 1441}}, "email"),
        ({"email": {"after_minutes": "15"}}, "email"),
        ({"email": {"after_minutes": 1.5}}, "email"),
        ({"email": {"enabled": "yes"}}, "email"),
        ({"email": {"unknown": 1}}, "email"),
        ({"email": None}, "email"),
        ({"email": True}, "email"),
        ({"colour": "blue"}, "colour"),
    ],
)
async def test_refused_values_are_a_422_naming_the_field_and_change_nothing(
    client, make_user, body, field
):
    bob = await make_user()
    before = await send(client, "PATCH", P, bob, {"muted_types": ["TASK_UPDATED"]})
    resp = await client.patch(P, json={**body}, headers=bob.headers)
    assert resp.status == 422, await resp.text()
    error = (await resp.json())["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert await get_json(client, P, bob) == before


async def test_a_body_that_is_not_an_object_is_a_400(client, make_user):
    bob = await make_user()
    resp = await client.patch(P, data="[1]", headers=bob.headers)
    assert resp.status == 400
    assert await get_json(client, P, bob) == DEFAULTS


async def test_without_a_token_preferences_are_a_401(client):
    assert (await client.get(P)).status == 401
    assert (await client.patch(P, json={})).status == 401


async def test_concurrent_changes_of_different_fields_both_stay(client, make_user):
    for _ in range(5):
        bob = await make_user()
        await asyncio.gather(
            send(client, "PATCH", P, bob, {"muted_types": ["TASK_COMMENT"]}),
            send(client, "PATCH", P, bob, {"email": {"enabled": True}}),
            send(client, "PATCH", P, bob, {"email": {"after_minutes": 3}}),
        )
        body = await get_json(client, P, bob)
        assert body["muted_types"] == ["TASK_COMMENT"]
        assert body["email"]["enabled"] is True
        assert body["email"]["after_minutes"] == 3


async def test_the_spec_documents_both_operations(client):
    spec = await (await client.get("/api/docs/swagger.json")).json()
    ops = spec["paths"][P]
    assert {"get", "patch"} <= set(ops)
    assert "SYSTEM cannot be muted" in ops["patch"]["description"]
    assert "422" in ops["patch"]["responses"]
    schemas = spec["components"]["schemas"]  # OpenAPI 3
    assert schemas["Preferences"]["required"] == ["email", "muted_types"]
