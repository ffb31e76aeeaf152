"""A case's history: one entry per change with its actor, subject and changes,
the notifications about it (notified, delivered, read, emailed) kept after the
recipient deletes them, the client's history holding its whole case, and CSV."""

import csv
import io
import json

import psycopg2
import pytest

from leopard.queries import notifications as notification_queries

from ..support.clients import CLIENTS, VISAS, error_of, new_application, new_client
from ..support.documents import DOCUMENTS, new_document
from ..support.tasks import TASKS, inbox, make_task, send


async def history(client, person, path, **params) -> list[dict]:
    resp = await client.get(f"{path}history/", params=params, headers=person.headers)
    assert resp.status == 200, await resp.text()
    body = await resp.json()
    assert body["count"] >= len(body["results"])
    return body["results"]


def actions(entries) -> list[tuple]:
    return [
        (e["action"], e["subject"], e["actor_id"], e["recipient_id"]) for e in entries
    ]


async def test_a_tasks_life_leaves_one_entry_per_step(client, make_user):
    alice, bob, carol = await make_user(), await make_user(), await make_user()
    task = await make_task(
        client, alice, title="Collect the police certificate", assigned_to=bob.id
    )
    path = f"{TASKS}{task['id']}/"
    await send(
        client, "PATCH", path, bob, {"status": "IN_PROGRESS", "priority": "HIGH"}
    )
    await send(client, "POST", f"{path}assign/", alice, {"assigned_to": carol.id})
    await send(client, "POST", f"{path}comments/", carol, {"body": "On it"}, expect=201)
    await send(client, "DELETE", path, alice, expect=204)
    entries = await history(client, alice, path)
    s = f"task:{task['id']}"
    steps = [
        (a, actor, recipient)
        for a, subject, actor, recipient in actions(entries)
        if subject == s and a != "notified"
    ]
    assert steps == [
        ("created", alice.id, None),
        ("changed", bob.id, None),
        ("assigned", alice.id, None),
        ("commented", carol.id, None),
        ("deleted", alice.id, None),
    ]
    created, changed, assigned, commented, deleted = [
        e for e in entries if e["action"] != "notified"
    ]
    assert created["changes"]["title"] == [None, "Collect the police certificate"]
    assert created["changes"]["assigned_to"] == [None, bob.id]  # one entry
    assert created["changes"]["priority"] == [None, "MEDIUM"]
    assert changed["changes"] == {
        "status": ["PENDING", "IN_PROGRESS"],
        "priority": ["MEDIUM", "HIGH"],
    }
    assert assigned["changes"] == {"assigned_to": [bob.id, carol.id]}
    assert commented["changes"]["body"] == [None, "On it"]
    assert deleted["changes"]["title"] == ["Collect the police certificate", None]
    told = [
        (e["recipient_id"], e["actor_id"]) for e in entries if e["action"] == "notified"
    ]
    # bob assigned (by alice), alice told of bob's change, bob and carol of the
    # reassignment, alice of the comment: each notification an entry.
    assert (bob.id, alice.id) in told and (carol.id, alice.id) in told
    assert all(e["at"] for e in entries)
    ids = [e["id"] for e in entries]
    assert len(set(ids)) == len(ids)


async def test_an_id_that_never_existed_is_404_a_deleted_one_keeps_its_history(
    client, make_user
):
    admin = await make_user("admin")
    resp = await client.get(f"{TASKS}{2**60}/history/", headers=admin.headers)
    assert (await error_of(resp, 404))["code"] == "not_found"
    owner = await new_client(client, admin, first_name="Gone")
    await send(client, "DELETE", f"{CLIENTS}{owner['id']}/", admin, expect=204)
    entries = await history(client, admin, f"{CLIENTS}{owner['id']}/")
    assert [e["action"] for e in entries] == ["created", "deleted"]


async def test_a_deleted_notification_still_shows_notified_delivered_and_read(
    client, make_user
):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    [note] = await inbox(client, bob)
    await send(client, "POST", f"/api/v1/notifications/{note['id']}/read/", bob)
    path = f"{TASKS}{task['id']}/"
    before = [
        e for e in await history(client, alice, path) if e["recipient_id"] == bob.id
    ]
    assert [e["action"] for e in before] == ["notified", "delivered", "read"]
    notified, delivered, read = before
    assert (notified["actor_id"], delivered["actor_id"], read["actor_id"]) == (
        alice.id,
        None,
        bob.id,
    )
    assert delivered["at"] <= read["at"]  # reading is seeing
    await send(
        client, "DELETE", f"/api/v1/notifications/{note['id']}/", bob, expect=204
    )
    assert await inbox(client, bob) == []
    after = [
        e for e in await history(client, alice, path) if e["recipient_id"] == bob.id
    ]
    assert after == before  # the same entries, ids and times


async def test_a_read_after_an_unread_is_a_new_entry(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    [note] = await inbox(client, bob)
    base = f"/api/v1/notifications/{note['id']}/"
    await send(client, "POST", f"{base}read/", bob)
    await send(client, "POST", f"{base}unread/", bob)
    await send(client, "POST", f"{base}read/", bob)
    entries = await history(client, alice, f"{TASKS}{task['id']}/")
    reads = [e for e in entries if e["action"] == "read"]
    assert len(reads) == 2 and reads[0]["at"] <= reads[1]["at"]
    assert reads[0]["id"] != reads[1]["id"]


async def test_a_clients_history_holds_its_case_and_nothing_of_another(
    client, make_user
):
    alice, bob = await make_user(), await make_user()
    owner = await new_client(client, alice, first_name="Ana")
    other = await new_client(client, alice, first_name="Bea")
    visa = await new_application(client, alice, owner["id"], assigned_to=bob.id)
    doc = await new_document(
        client, alice, owner["id"], number="PA-99", visa_application_id=visa["id"]
    )
    task = await make_task(client, alice, client_id=owner["id"])
    await make_task(client, alice, client_id=other["id"])
    await new_document(client, alice, other["id"])
    await send(
        client, "PATCH", f"{VISAS}{visa['id']}/", alice, {"status": "VISA_APPLIED"}
    )
    entries = await history(client, alice, f"{CLIENTS}{owner['id']}/")
    subjects = {e["subject"] for e in entries}
    assert subjects == {
        f"client:{owner['id']}",
        f"visa_application:{visa['id']}",
        f"document:{doc['id']}",
        f"task:{task['id']}",
    }
    status = [e for e in entries if e["action"] == "changed"]
    assert status[0]["changes"] == {"status": ["TO_BE_APPLIED", "VISA_APPLIED"]}
    # bob, the assignee, was told of the assignment and of the status.
    told = [e for e in entries if e["action"] == "notified"]
    assert {e["recipient_id"] for e in told} == {bob.id}
    created = [e for e in entries if e["subject"] == f"document:{doc['id']}"][0]
    assert created["changes"]["number"] == [None, "***"]
    assert "PA-99" not in json.dumps(entries)
    # The application's history: it, its document; not the client's own.
    visa_entries = await history(client, alice, f"{VISAS}{visa['id']}/")
    assert {e["subject"] for e in visa_entries} == {
        f"visa_application:{visa['id']}",
        f"document:{doc['id']}",
    }
    doc_entries = await history(client, alice, f"{DOCUMENTS}{doc['id']}/")
    assert [e["action"] for e in doc_entries] == ["created"]


async def test_the_history_pages_oldest_first(client, make_user):
    alice = await make_user()
    owner = await new_client(client, alice)
    for n in range(4):
        await send(
            client, "PATCH", f"{CLIENTS}{owner['id']}/", alice, {"notes": f"n{n}"}
        )
    path = f"{CLIENTS}{owner['id']}/"
    everything = await history(client, alice, path)
    assert len(everything) == 5
    page = await history(client, alice, path, limit="2", offset="1")
    assert page == everything[1:3]


async def test_csv_is_every_entry_read_back_the_same_and_no_cell_a_formula(
    client, make_user
):
    alice, bob = await make_user(), await make_user()
    task = await make_task(
        client, alice, title='=HYPERLINK("http://x")', assigned_to=bob.id
    )
    path = f"{TASKS}{task['id']}/"
    await send(client, "PATCH", path, alice, {"detail": "@SUM(1,2)"})
    entries = await history(client, alice, path)
    resp = await client.get(
        f"{path}history/", params={"format": "csv"}, headers=alice.headers
    )
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(await resp.text())))
    assert rows[0] == [
        "id",
        "at",
        "actor_id",
        "subject",
        "action",
        "changes",
        "recipient_id",
    ]
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    parsed = [
        {
            "id": int(r[0]),
            "at": r[1],
            "actor_id": int(r[2]) if r[2] else None,
            "subject": r[3],
            "action": r[4],
            "changes": json.loads(r[5]),
            "recipient_id": int(r[6]) if r[6] else None,
        }
        for r in rows[1:]
    ]
    assert parsed == entries
    assert parsed[0]["changes"]["title"] == [None, '=HYPERLINK("http://x")']


def test_a_cell_that_would_be_a_formula_is_neutralised():
    from leopard.services.history import _cell

    assert [_cell(v) for v in ("=1+1", "+1", "-1", "@A1", "x=1", None, 5)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@A1",
        "x=1",
        "",
        "5",
    ]


async def test_a_change_that_rolls_back_leaves_no_entry(client, make_user, monkeypatch):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice)
    path = f"{TASKS}{task['id']}/"

    async def fail(*args, **kwargs):
        raise RuntimeError("after the change's statement and its entry")

    # The entry is written (flushed) before the notifications, which fail.
    monkeypatch.setattr(notification_queries, "insert_notifications", fail)
    resp = await client.patch(path, json={"assigned_to": bob.id}, headers=alice.headers)
    assert resp.status == 500
    monkeypatch.undo()
    entries = await history(client, alice, path)
    assert [e["action"] for e in entries] == ["created"]
    assert (await send(client, "GET", path, alice))["assigned_to"] is None


async def test_no_one_changes_or_deletes_an_entry(engine, client, make_user):
    alice = await make_user()
    owner = await new_client(client, alice)
    async with engine.acquire() as conn:
        for sql in (
            "UPDATE history SET action = 'deleted' WHERE client_id = %s",
            "DELETE FROM history WHERE client_id = %s",
        ):
            with pytest.raises(psycopg2.errors.RaiseException):
                await conn.execute(sql, (owner["id"],))
    assert len(await history(client, alice, f"{CLIENTS}{owner['id']}/")) == 1
