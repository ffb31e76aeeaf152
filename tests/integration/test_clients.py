"""Creating and reading clients, and the fields they accept."""

from datetime import datetime

from ..support.clients import CLIENTS, error_of, new_client
from ..support.common import unique


async def test_a_client_is_created_with_empty_defaults_and_read_back(client, make_user):
    alice = await make_user()
    last = unique("Doe")
    resp = await client.post(
        CLIENTS, json={"first_name": "Jane", "last_name": last}, headers=alice.headers
    )
    assert resp.status == 201
    body = await resp.json()
    assert {k: v for k, v in body.items() if not k.endswith("_at")} == {
        "id": body["id"],
        "first_name": "Jane",
        "last_name": last,
        "email": "",
        "phone": "",
        "notes": "",
    }
    assert datetime.fromisoformat(body["created_at"]).utcoffset() is not None
    assert body["updated_at"] == body["created_at"]
    again = await client.get(f"{CLIENTS}{body['id']}/", headers=alice.headers)
    assert again.status == 200 and await again.json() == body


async def test_every_client_field_is_stored_as_given(client, make_user):
    alice = await make_user()
    fields = {
        "first_name": "José",
        "last_name": unique("Núñez"),
        "email": "jose@example.com",
        "phone": "+61 2 5550 1234",
        "notes": "Prefers Spanish.\nCall after 5pm.",
    }
    body = await new_client(client, alice, **fields)
    assert {k: body[k] for k in fields} == fields


async def test_the_path_without_a_trailing_slash_creates_a_client_too(
    client, make_user
):
    alice = await make_user()
    resp = await client.post(
        "/api/v1/clients",
        json={"first_name": "Ann", "last_name": unique("Lee")},
        headers=alice.headers,
    )
    assert resp.status == 201
    assert (await resp.json())["first_name"] == "Ann"


async def test_a_client_without_names_answers_422_naming_both(client, make_user):
    alice = await make_user()
    error = await error_of(
        await client.post(CLIENTS, json={}, headers=alice.headers), 422
    )
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"first_name", "last_name"}


async def test_invalid_client_fields_answer_422_with_each_field(client, make_user):
    alice = await make_user()
    resp = await client.post(
        CLIENTS,
        json={
            "first_name": "",
            "last_name": "x" * 101,
            "email": "not-an-email",
            "phone": "1" * 51,
            "notes": "n" * 10_001,
            "nickname": "JJ",
        },
        headers=alice.headers,
    )
    error = await error_of(resp, 422)
    assert set(error["fields"]) == {
        "first_name",
        "last_name",
        "email",
        "phone",
        "notes",
        "nickname",
    }


async def test_blank_names_and_null_fields_are_refused(client, make_user):
    alice = await make_user()
    resp = await client.post(
        CLIENTS,
        json={"first_name": "   ", "last_name": "Doe", "email": None},
        headers=alice.headers,
    )
    error = await error_of(resp, 422)
    assert set(error["fields"]) == {"first_name", "email"}


async def test_the_longest_allowed_values_are_accepted(client, make_user):
    alice = await make_user()
    body = await new_client(
        client,
        alice,
        first_name="f" * 100,
        last_name="l" * 100,
        phone="1" * 50,
        notes="n" * 10_000,
    )
    assert (len(body["first_name"]), len(body["notes"])) == (100, 10_000)


async def test_client_routes_need_a_token(client):
    for method, path in (("GET", CLIENTS), ("POST", CLIENTS), ("GET", f"{CLIENTS}1/")):
        resp = await client.request(method, path, json={})
        assert resp.status == 401
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")
