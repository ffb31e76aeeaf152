"""Changing clients with PATCH, and absent clients."""

from datetime import datetime

from ..support.clients import CLIENTS, error_of, new_client


async def test_a_client_patch_changes_only_the_fields_given(client, make_user):
    alice, bob = await make_user(), await make_user()
    made = await new_client(client, alice, email="jane@example.com", phone="123")
    resp = await client.patch(
        f"{CLIENTS}{made['id']}/",
        json={"phone": "456", "notes": "moved to Perth", "email": ""},
        headers=bob.headers,
    )
    assert resp.status == 200
    body = await resp.json()
    assert body == {
        **made,
        "phone": "456",
        "notes": "moved to Perth",
        "email": "",
        "updated_at": body["updated_at"],
    }
    assert datetime.fromisoformat(body["updated_at"]) > datetime.fromisoformat(
        made["updated_at"]
    )


async def test_an_empty_patch_returns_the_client_unchanged(client, make_user):
    alice = await make_user()
    made = await new_client(client, alice)
    resp = await client.patch(f"{CLIENTS}{made['id']}/", json={}, headers=alice.headers)
    assert resp.status == 200 and await resp.json() == made


async def test_an_invalid_client_patch_answers_422_and_changes_nothing(
    client, make_user
):
    alice = await make_user()
    made = await new_client(client, alice)
    resp = await client.patch(
        f"{CLIENTS}{made['id']}/",
        json={"first_name": "", "email": "nope", "id": 5},
        headers=alice.headers,
    )
    error = await error_of(resp, 422)
    assert set(error["fields"]) == {"first_name", "email", "id"}
    again = await client.get(f"{CLIENTS}{made['id']}/", headers=alice.headers)
    assert await again.json() == made


async def test_an_absent_client_answers_404_to_every_verb(client, make_user):
    admin = await make_user("admin")
    for path in (f"{CLIENTS}999999999/", f"{CLIENTS}99999999999999999999/"):
        for method, kwargs in (
            ("GET", {}),
            ("PATCH", {"json": {"notes": "x"}}),
            ("DELETE", {}),
        ):
            resp = await client.request(method, path, headers=admin.headers, **kwargs)
            error = await error_of(resp, 404)
            assert error["code"] == "not_found", (method, path)
