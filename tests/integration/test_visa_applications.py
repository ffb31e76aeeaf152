"""Creating and reading visa applications, and the fields they accept."""

from datetime import datetime

from ..support.clients import VISAS, error_of, new_application, new_client


async def test_an_application_is_created_with_its_defaults(client, make_user):
    alice = await make_user()
    jane = await new_client(client, alice)
    resp = await client.post(
        VISAS,
        json={"client_id": jane["id"], "visa_type": "Visitor visa (600)"},
        headers=alice.headers,
    )
    assert resp.status == 201
    body = await resp.json()
    assert {k: v for k, v in body.items() if not k.endswith("ed_at")} == {
        "id": body["id"],
        "client_id": jane["id"],
        "visa_type": "Visitor visa (600)",
        "reference": "",
        "status": "TO_BE_APPLIED",
        "assigned_to": None,
        "notes": "",
        "checklist": {"open": 0, "done": 0},
    }
    assert (body["lodged_at"], body["decided_at"]) == (None, None)
    assert body["updated_at"] == body["created_at"]
    again = await client.get(f"{VISAS}{body['id']}/", headers=alice.headers)
    assert again.status == 200 and await again.json() == body


async def test_every_application_field_is_stored_as_given(client, make_user):
    alice, bob = await make_user(), await make_user()
    jane = await new_client(client, alice)
    body = await new_application(
        client,
        alice,
        jane["id"],
        visa_type="Skilled visa (189)",
        reference="EGH-123456",
        status="GRANTED",
        assigned_to=bob.id,
        lodged_at="2024-03-01T10:30:00+01:00",
        decided_at="2024-06-30T23:00:00-04:00",
        notes="Granted without conditions.",
    )
    assert (body["reference"], body["status"], body["assigned_to"]) == (
        "EGH-123456",
        "GRANTED",
        bob.id,
    )
    assert datetime.fromisoformat(body["lodged_at"]) == datetime.fromisoformat(
        "2024-03-01T09:30:00+00:00"
    )
    assert datetime.fromisoformat(body["decided_at"]) == datetime.fromisoformat(
        "2024-07-01T03:00:00+00:00"
    )
    assert body["notes"] == "Granted without conditions."


async def test_an_application_of_an_absent_client_answers_422(client, make_user):
    alice = await make_user()
    resp = await client.post(
        VISAS,
        json={"client_id": 999999999, "visa_type": "Student visa"},
        headers=alice.headers,
    )
    error = await error_of(resp, 422)
    assert error["fields"] == {"client_id": ["no client with id 999999999"]}


async def test_an_absent_or_inactive_assignee_answers_422(client, make_user):
    alice, admin, gone = await make_user(), await make_user("admin"), await make_user()
    await client.patch(
        f"/api/v1/users/{gone.id}/", json={"is_active": False}, headers=admin.headers
    )
    jane = await new_client(client, alice)
    for user_id in (999999999, gone.id):
        resp = await client.post(
            VISAS,
            json={"client_id": jane["id"], "visa_type": "T", "assigned_to": user_id},
            headers=alice.headers,
        )
        error = await error_of(resp, 422)
        assert error["fields"] == {"assigned_to": [f"no active user with id {user_id}"]}
    listed = await client.get(
        VISAS, params={"client_id": jane["id"]}, headers=alice.headers
    )
    assert (await listed.json())["count"] == 0


async def test_invalid_application_fields_answer_422_with_each_field(client, make_user):
    alice = await make_user()
    resp = await client.post(
        VISAS,
        json={
            "visa_type": "",
            "reference": "r" * 101,
            "status": "APPROVED",
            "assigned_to": "me",
            "lodged_at": "2024-03-01T10:30:00",
            "decided_at": "yesterday",
            "notes": "n" * 10_001,
            "priority": "HIGH",
        },
        headers=alice.headers,
    )
    error = await error_of(resp, 422)
    assert set(error["fields"]) == {
        "client_id",
        "visa_type",
        "reference",
        "status",
        "assigned_to",
        "lodged_at",
        "decided_at",
        "notes",
        "priority",
    }


async def test_ids_in_a_body_must_be_json_integers(client, make_user):
    alice = await make_user()
    jane = await new_client(client, alice)
    resp = await client.post(
        VISAS,
        json={"client_id": str(jane["id"]), "visa_type": "T", "assigned_to": 2**63},
        headers=alice.headers,
    )
    assert set((await error_of(resp, 422))["fields"]) == {"client_id", "assigned_to"}


async def test_visa_routes_need_a_token(client):
    for method, path in (("GET", VISAS), ("POST", VISAS), ("PATCH", f"{VISAS}1/")):
        resp = await client.request(method, path, json={})
        assert resp.status == 401
