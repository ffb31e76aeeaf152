"""Changing and deleting visa applications, and absent ones."""

from datetime import datetime

from ..support.clients import VISAS, error_of, new_application, new_client


async def test_an_application_patch_changes_only_the_fields_given(client, make_user):
    alice, bob = await make_user(), await make_user()
    jane = await new_client(client, alice)
    made = await new_application(client, alice, jane["id"], reference="R-1")
    resp = await client.patch(
        f"{VISAS}{made['id']}/",
        json={"status": "VISA_APPLIED", "lodged_at": "2024-05-02T09:00:00+10:00"},
        headers=bob.headers,
    )
    assert resp.status == 200
    body = await resp.json()
    assert body == {
        **made,
        "status": "VISA_APPLIED",
        "lodged_at": body["lodged_at"],
        "updated_at": body["updated_at"],
    }
    assert datetime.fromisoformat(body["lodged_at"]) == datetime.fromisoformat(
        "2024-05-01T23:00:00+00:00"
    )
    assert body["updated_at"] > made["updated_at"]


async def test_a_patch_moves_an_application_to_another_existing_client_only(
    client, make_user
):
    alice = await make_user()
    jane, john = await new_client(client, alice), await new_client(client, alice)
    made = await new_application(client, alice, jane["id"])
    path = f"{VISAS}{made['id']}/"
    refused = await client.patch(
        path, json={"client_id": 999999999, "notes": "x"}, headers=alice.headers
    )
    assert (await error_of(refused, 422))["fields"] == {
        "client_id": ["no client with id 999999999"]
    }
    assert await (await client.get(path, headers=alice.headers)).json() == made
    moved = await client.patch(
        path, json={"client_id": john["id"]}, headers=alice.headers
    )
    assert (await moved.json())["client_id"] == john["id"]


async def test_a_patch_unassigns_with_null_and_keeps_an_inactive_assignee(
    client, make_user
):
    alice, bob, admin = await make_user(), await make_user(), await make_user("admin")
    jane = await new_client(client, alice)
    made = await new_application(client, alice, jane["id"], assigned_to=bob.id)
    await client.patch(
        f"/api/v1/users/{bob.id}/", json={"is_active": False}, headers=admin.headers
    )
    path = f"{VISAS}{made['id']}/"
    kept = await client.patch(
        path, json={"assigned_to": bob.id, "notes": "bob left"}, headers=alice.headers
    )
    assert kept.status == 200 and (await kept.json())["assigned_to"] == bob.id
    cleared = await client.patch(
        path, json={"assigned_to": None}, headers=alice.headers
    )
    assert (await cleared.json())["assigned_to"] is None
    again = await client.patch(
        path, json={"assigned_to": bob.id}, headers=alice.headers
    )
    assert (await error_of(again, 422))["fields"] == {
        "assigned_to": [f"no active user with id {bob.id}"]
    }


async def test_an_invalid_application_patch_answers_422_and_changes_nothing(
    client, make_user
):
    alice = await make_user()
    made = await new_application(client, alice, (await new_client(client, alice))["id"])
    path = f"{VISAS}{made['id']}/"
    resp = await client.patch(
        path,
        json={"status": "DONE", "visa_type": "", "client_id": None},
        headers=alice.headers,
    )
    assert set((await error_of(resp, 422))["fields"]) == {
        "status",
        "visa_type",
        "client_id",
    }
    assert await (await client.get(path, headers=alice.headers)).json() == made


async def test_an_absent_application_answers_404_to_every_verb(client, make_user):
    admin = await make_user("admin")
    for path in (f"{VISAS}999999999/", f"{VISAS}99999999999999999999/"):
        for method, kwargs in (
            ("GET", {}),
            ("PATCH", {"json": {"notes": "x"}}),
            ("DELETE", {}),
        ):
            resp = await client.request(method, path, headers=admin.headers, **kwargs)
            assert (await error_of(resp, 404))["code"] == "not_found", (method, path)


async def test_staff_cannot_delete_an_application_but_an_admin_can(client, make_user):
    staff, admin = await make_user(), await make_user("admin")
    made = await new_application(client, staff, (await new_client(client, staff))["id"])
    path = f"{VISAS}{made['id']}/"
    refused = await client.delete(path, headers=staff.headers)
    assert (await error_of(refused, 403))["code"] == "forbidden"
    assert await (await client.get(path, headers=staff.headers)).json() == made
    assert (await client.delete(path, headers=admin.headers)).status == 204
    assert (await client.get(path, headers=staff.headers)).status == 404
