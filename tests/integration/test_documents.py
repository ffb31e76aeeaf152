"""A client's documents: made, read, changed, listed by expiry, deleted by
admins; bad input refused with nothing stored."""

import pytest

from ..support.clients import CLIENTS, error_of, new_application, new_client
from ..support.documents import DOCUMENTS, new_document


async def test_a_document_is_created_with_defaults_and_read_back(client, make_user):
    alice = await make_user()
    owner = await new_client(client, alice)
    body = await new_document(
        client,
        alice,
        owner["id"],
        number="PA1234567",
        issued_on="2020-03-01",
        expires_on="2030-03-01",
    )
    assert {k: v for k, v in body.items() if not k.endswith("_at")} == {
        "id": body["id"],
        "client_id": owner["id"],
        "visa_application_id": None,
        "kind": "PASSPORT",
        "number": "PA1234567",
        "issued_on": "2020-03-01",
        "expires_on": "2030-03-01",
        "responsible_id": alice.id,  # no application: the creator
        "notes": "",
    }
    again = await client.get(f"{DOCUMENTS}{body['id']}/", headers=alice.headers)
    assert await again.json() == body


async def test_the_responsible_user_defaults_to_the_applications_assignee(
    client, make_user
):
    alice, bob = await make_user(), await make_user()
    owner = await new_client(client, alice)
    visa = await new_application(client, alice, owner["id"], assigned_to=bob.id)
    doc = await new_document(
        client, alice, owner["id"], kind="VISA", visa_application_id=visa["id"]
    )
    assert doc["responsible_id"] == bob.id
    chosen = await new_document(
        client,
        alice,
        owner["id"],
        visa_application_id=visa["id"],
        responsible_id=alice.id,
    )
    assert chosen["responsible_id"] == alice.id


async def test_a_document_changes_and_answers_the_new_values(client, make_user):
    alice, bob = await make_user(), await make_user()
    owner = await new_client(client, alice)
    visa = await new_application(client, alice, owner["id"])
    doc = await new_document(client, alice, owner["id"], expires_on="2031-01-01")
    change = {
        "expires_on": "2036-01-01",
        "issued_on": "2026-01-01",
        "visa_application_id": visa["id"],
        "responsible_id": bob.id,
        "notes": "Renewed",
    }
    resp = await client.patch(
        f"{DOCUMENTS}{doc['id']}/", json=change, headers=bob.headers
    )
    assert resp.status == 200
    changed = await resp.json()
    assert {k: changed[k] for k in change} == change
    assert changed["updated_at"] > doc["updated_at"]


async def test_documents_filter_and_order_by_expiry_those_without_last(
    client, make_user
):
    alice, bob = await make_user(), await make_user()
    owner = await new_client(client, alice)
    other = await new_client(client, alice)
    late = await new_document(client, alice, owner["id"], expires_on="2031-05-01")
    none = await new_document(client, alice, owner["id"], kind="MEDICAL")
    soon = await new_document(
        client,
        alice,
        owner["id"],
        kind="VISA",
        expires_on="2027-02-01",
        responsible_id=bob.id,
    )
    await new_document(client, alice, other["id"], expires_on="2027-01-01")

    async def ids(**query):
        resp = await client.get(DOCUMENTS, params=query, headers=bob.headers)
        assert resp.status == 200, await resp.text()
        body = await resp.json()
        assert body["count"] == len(body["results"])
        return [d["id"] for d in body["results"]]

    mine = str(owner["id"])
    assert await ids(client_id=mine) == [soon["id"], late["id"], none["id"]]
    assert await ids(client_id=mine, ordering="-expires_on") == [
        late["id"],
        soon["id"],
        none["id"],
    ]
    assert await ids(client_id=mine, kind="VISA") == [soon["id"]]
    assert await ids(client_id=mine, responsible_id="me") == [soon["id"]]
    assert await ids(client_id=mine, responsible_id=str(alice.id)) == [
        late["id"],
        none["id"],
    ]
    assert await ids(client_id=mine, expires_before="2031-05-01") == [soon["id"]]
    assert await ids(client_id=mine, expires_after="2027-02-01") == [late["id"]]
    page = await client.get(
        DOCUMENTS,
        params={"client_id": mine, "limit": "1", "offset": "1"},
        headers=bob.headers,
    )
    body = await page.json()
    assert ([d["id"] for d in body["results"]], body["count"]) == ([late["id"]], 3)


async def test_only_admins_delete_a_document(client, make_user):
    admin, alice = await make_user("admin"), await make_user()
    owner = await new_client(client, alice)
    doc = await new_document(client, alice, owner["id"])
    path = f"{DOCUMENTS}{doc['id']}/"
    assert await error_of(await client.delete(path, headers=alice.headers), 403)
    assert (await client.get(path, headers=alice.headers)).status == 200
    assert (await client.delete(path, headers=admin.headers)).status == 204
    assert (await client.get(path, headers=alice.headers)).status == 404
    assert (await client.delete(path, headers=admin.headers)).status == 404


async def test_a_client_with_documents_is_not_deleted(client, make_user):
    admin = await make_user("admin")
    owner = await new_client(client, admin)
    doc = await new_document(client, admin, owner["id"])
    resp = await client.delete(f"{CLIENTS}{owner['id']}/", headers=admin.headers)
    error = await error_of(resp, 409)
    assert "documents" in error["message"]
    await client.delete(f"{DOCUMENTS}{doc['id']}/", headers=admin.headers)
    resp = await client.delete(f"{CLIENTS}{owner['id']}/", headers=admin.headers)
    assert resp.status == 204


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "DIPLOMA"}, "kind"),
        ({"kind": None}, "kind"),
        ({"issued_on": "2030-01-02", "expires_on": "2030-01-01"}, "expires_on"),
        ({"expires_on": "2030-02-30"}, "expires_on"),
        ({"number": "x" * 101}, "number"),
        ({"responsible_id": 2**62}, "responsible_id"),
        ({"client_id": 2**62}, "client_id"),
        ({"secret": 1}, "secret"),
    ],
)
async def test_a_bad_document_is_refused_and_nothing_is_stored(
    client, make_user, fields, field
):
    alice = await make_user()
    owner = await new_client(client, alice)
    body = {"client_id": owner["id"], "kind": "PASSPORT", **fields}
    error = await error_of(
        await client.post(DOCUMENTS, json=body, headers=alice.headers), 422
    )
    assert field in error["fields"], error
    listed = await client.get(
        DOCUMENTS, params={"client_id": str(owner["id"])}, headers=alice.headers
    )
    assert (await listed.json())["count"] == 0


async def test_a_visa_application_of_another_client_is_refused(client, make_user):
    alice = await make_user()
    owner, other = await new_client(client, alice), await new_client(client, alice)
    theirs = await new_application(client, alice, other["id"])
    body = {
        "client_id": owner["id"],
        "kind": "VISA",
        "visa_application_id": theirs["id"],
    }
    error = await error_of(
        await client.post(DOCUMENTS, json=body, headers=alice.headers), 422
    )
    assert (
        f"belongs to client {other['id']}" in error["fields"]["visa_application_id"][0]
    )
    doc = await new_document(client, alice, owner["id"], issued_on="2026-01-01")
    path = f"{DOCUMENTS}{doc['id']}/"
    for change, field in [
        ({"visa_application_id": theirs["id"]}, "visa_application_id"),
        ({"expires_on": "2025-12-31"}, "expires_on"),  # before the stored issued_on
    ]:
        resp = await client.patch(path, json=change, headers=alice.headers)
        assert field in (await error_of(resp, 422))["fields"]
    unchanged = await client.get(path, headers=alice.headers)
    assert await unchanged.json() == doc
