"""Absence with a delegate: set, read and ended through HTTP, refused when it
cannot be, shown in the user list, and, while it lasts, new assignments go to
the delegate (along a chain of them) and reminders are copied."""

import asyncio

from leopard.keys import BROKER, ENGINE, SETTINGS
from leopard.services import reminders

from ..support.clients import error_of
from ..support.common import unique
from ..support.documents import new_document
from ..support.metrics import scrape, value
from ..support.reminders import add_task, hours
from ..support.tasks import TASKS, get_json, inbox, make_client, make_task, send
from ..support.teams import MY_ABSENCE, away, make_team, moment

USERS = "/api/v1/users/"


async def stored(engine, person) -> int:
    async with engine.acquire() as conn:
        return await conn.scalar(
            "SELECT count(*) FROM absences WHERE user_id = %s", (person.id,)
        )


async def test_an_absence_is_set_read_listed_replaced_and_ended(client, make_user):
    tom, ana, eve = await make_user(), await make_user(), await make_user()
    assert await get_json(client, MY_ABSENCE, tom) == {"absence": None}
    set_ = await away(client, tom, ana, note="Leave")
    assert set_["delegate_id"] == ana.id and set_["current"] is True
    assert (set_["user_id"], set_["note"]) == (tom.id, "Leave")
    assert await get_json(client, MY_ABSENCE, tom) == {"absence": set_}
    listed = await get_json(client, USERS, eve, limit=200)
    by_id = {u["id"]: u for u in listed["results"]}
    assert by_id[tom.id]["absence"] == set_
    assert by_id[ana.id]["absence"] is None
    # A new one replaces it; an upcoming one is listed too, not yet current.
    later = await away(client, tom, eve, starts=86400, ends=2 * 86400)
    assert (later["delegate_id"], later["current"], later["note"]) == (
        eve.id,
        False,
        "",
    )
    listed = await get_json(client, USERS, eve, limit=200)
    assert {u["id"]: u for u in listed["results"]}[tom.id]["absence"] == later
    await send(client, "DELETE", MY_ABSENCE, tom, expect=204)
    await send(client, "DELETE", MY_ABSENCE, tom, expect=204)
    assert await get_json(client, MY_ABSENCE, tom) == {"absence": None}


async def test_a_bad_absence_is_a_422_and_nothing_is_stored(client, engine, make_user):
    tom, ana, gone = await make_user(), await make_user(), await make_user()
    admin = await make_user("admin")
    await send(client, "PATCH", f"{USERS}{gone.id}/", admin, {"is_active": False})
    good = {"starts_at": moment(-60), "ends_at": moment(3600), "delegate_id": ana.id}
    cases = [
        ({**good, "ends_at": moment(-120)}, "ends_at"),  # before it starts
        ({**good, "starts_at": moment(-90), "ends_at": moment(-30)}, "ends_at"),
        ({**good, "ends_at": good["starts_at"]}, "ends_at"),
        ({**good, "delegate_id": tom.id}, "delegate_id"),
        ({**good, "delegate_id": gone.id}, "delegate_id"),
        ({**good, "delegate_id": 2**62}, "delegate_id"),
        ({**good, "starts_at": "tomorrow"}, "starts_at"),
        ({**good, "ends_at": "2030-01-01T00:00:00"}, "ends_at"),  # no offset
        ({**good, "note": "x" * 501}, "note"),
        ({k: v for k, v in good.items() if k != "delegate_id"}, "delegate_id"),
    ]
    for body, field in cases:
        resp = await client.put(MY_ABSENCE, json=body, headers=tom.headers)
        error = await error_of(resp, 422)
        assert list(error["fields"]) == [field], (body, error)
    assert await stored(engine, tom) == 0


async def test_admins_set_anyones_absence_and_staff_only_their_own(
    client, engine, make_user
):
    admin, tom, ana = await make_user("admin"), await make_user(), await make_user()
    path = f"{USERS}{tom.id}/absence/"
    body = {"starts_at": moment(-60), "ends_at": moment(3600), "delegate_id": ana.id}
    set_ = await send(client, "PUT", path, admin, body)
    assert set_["user_id"] == tom.id
    assert await get_json(client, MY_ABSENCE, tom) == {"absence": set_}
    assert await get_json(client, path, admin) == {"absence": set_}
    for method in ("GET", "PUT", "DELETE"):
        resp = await client.request(
            method, f"{USERS}{admin.id}/absence/", json=body, headers=ana.headers
        )
        await error_of(resp, 403)
    resp = await client.get(f"{USERS}{2**62}/absence/", headers=admin.headers)
    await error_of(resp, 404)
    await send(client, "DELETE", path, admin, expect=204)
    assert await stored(engine, tom) == 0


async def test_a_new_assignment_goes_to_the_delegate_while_away_and_only_then(
    client, make_user
):
    boss, tom, ana = await make_user(), await make_user(), await make_user()
    await away(client, tom, ana, starts=1.0, ends=2.5)

    async def assign() -> dict:
        return await make_task(client, boss, assigned_to=tom.id)

    before = await assign()
    await asyncio.sleep(1.1)
    during = await assign()
    await asyncio.sleep(1.5)
    after = await assign()
    # Nobody acted when the absence began or ended: each query asked.
    assert (before["assigned_to"], before["delegated_from"]) == (tom.id, None)
    assert (during["assigned_to"], during["delegated_from"]) == (ana.id, tom.id)
    assert (after["assigned_to"], after["delegated_from"]) == (tom.id, None)
    [note] = await inbox(client, ana, type="TASK_ASSIGNED")
    assert note["meta_info"]["task_id"] == during["id"]
    assert note["meta_info"]["delegated_from"] == tom.id
    assert "away" in note["message"]
    assert [n["meta_info"]["task_id"] for n in await inbox(client, tom)] == [
        after["id"],
        before["id"],
    ]


async def test_every_way_of_assigning_goes_to_the_delegate_and_held_tasks_stay(
    client, make_user
):
    boss, tom, ana = await make_user(), await make_user(), await make_user()
    held = await make_task(client, boss, assigned_to=tom.id)
    loose = await make_task(client, boss)
    other = await make_task(client, boss)
    before = value(await scrape(client), "leopard_task_delegations_total")
    await away(client, tom, ana)
    assigned = await send(
        client, "POST", f"{TASKS}{loose['id']}/assign/", boss, {"assigned_to": tom.id}
    )
    patched = await send(
        client,
        "PATCH",
        f"{TASKS}{other['id']}/",
        boss,
        {"assigned_to": tom.id, "priority": "HIGH"},
    )
    for task in (assigned, patched):
        assert (task["assigned_to"], task["delegated_from"]) == (ana.id, tom.id)
    # What Tom holds stays his; naming him again changes nothing.
    assert (await get_json(client, f"{TASKS}{held['id']}/", boss))[
        "assigned_to"
    ] == tom.id
    same = await send(
        client, "PATCH", f"{TASKS}{held['id']}/", boss, {"assigned_to": tom.id}
    )
    assert (same["assigned_to"], same["updated_at"]) == (tom.id, held["updated_at"])
    again = await send(
        client, "PATCH", f"{TASKS}{other['id']}/", boss, {"assigned_to": tom.id}
    )
    assert again["updated_at"] == patched["updated_at"]
    entries = (await get_json(client, f"{TASKS}{loose['id']}/history/", boss))[
        "results"
    ]
    assert [
        (e["action"], e["changes"]) for e in entries if e["action"] != "notified"
    ] == [
        (
            "created",
            {
                "title": [None, loose["title"]],
                "priority": [None, "MEDIUM"],
                "status": [None, "PENDING"],
            },
        ),
        ("assigned", {"assigned_to": [None, ana.id], "delegated_from": [None, tom.id]}),
        ("delegated", {"assigned_to": [tom.id, ana.id]}),
    ]
    after = value(await scrape(client), "leopard_task_delegations_total")
    assert after == before + 2


async def test_a_chain_of_delegates_is_followed_to_its_end(client, make_user):
    boss = await make_user()
    a, b, c = await make_user(), await make_user(), await make_user()
    await away(client, a, b)
    await away(client, b, c)
    task = await make_task(client, boss, assigned_to=a.id)
    assert (task["assigned_to"], task["delegated_from"]) == (c.id, a.id)


async def test_a_chain_that_comes_back_round_leaves_the_task_where_it_was_sent(
    client, make_user
):
    boss, a, b = await make_user(), await make_user(), await make_user()
    await away(client, a, b)
    await away(client, b, a)
    task = await make_task(client, boss, assigned_to=a.id)
    assert (task["assigned_to"], task["delegated_from"]) == (a.id, None)


async def test_five_hand_ons_are_followed_and_a_sixth_is_not(client, make_user):
    boss = await make_user()
    people = [await make_user() for _ in range(7)]
    for one, next_one in zip(people[:5], people[1:6], strict=True):
        await away(client, one, next_one)
    task = await make_task(client, boss, assigned_to=people[0].id)
    assert (task["assigned_to"], task["delegated_from"]) == (people[5].id, people[0].id)
    await away(client, people[5], people[6])
    task = await make_task(client, boss, assigned_to=people[0].id)
    assert (task["assigned_to"], task["delegated_from"]) == (people[0].id, None)


async def test_a_delegate_deactivated_since_leaves_the_task_where_it_was_sent(
    client, make_user
):
    admin, tom, ana = await make_user("admin"), await make_user(), await make_user()
    await away(client, tom, ana)
    await send(client, "PATCH", f"{USERS}{ana.id}/", admin, {"is_active": False})
    task = await make_task(client, admin, assigned_to=tom.id)
    assert (task["assigned_to"], task["delegated_from"]) == (tom.id, None)


async def test_those_away_hear_of_no_queued_task(client, make_user):
    admin, tom, ana = await make_user("admin"), await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom, ana])
    await away(client, tom, ana)
    task = await make_task(client, admin, assigned_team=team["id"])
    assert await inbox(client, tom, type="TASK_QUEUED") == []
    [note] = await inbox(client, ana, type="TASK_QUEUED")
    assert note["meta_info"]["task_id"] == task["id"]


async def test_reminders_of_those_away_are_copied_to_their_delegates(
    client, engine, make_user
):
    tom, ana = await make_user(), await make_user()
    await away(client, tom, ana)
    soon = await add_task(engine, tom, hours(1), title=unique("soon"))
    late = await add_task(engine, tom, hours(-1), title=unique("late"))
    owner = await make_client(engine)
    document = await new_document(client, tom, owner, expires_on=moment(5 * 86400)[:10])
    app = client.app
    await reminders.sweep(app[ENGINE], app[BROKER], app[SETTINGS])
    his = {(n["notification_type"], n["title"]) for n in await inbox(client, tom)}
    copies = await inbox(client, ana)
    assert {(n["notification_type"], n["title"]) for n in copies} == his
    assert {n["notification_type"] for n in copies} == {
        "TASK_DUE_SOON",
        "TASK_OVERDUE",
        "DOCUMENT_EXPIRING",
    }
    for note in copies:
        assert note["meta_info"]["on_behalf_of"] == tom.id
    about = {
        n["meta_info"].get("task_id") or n["meta_info"]["document_id"] for n in copies
    }
    assert about == {soon, late, document["id"]}
