"""Checklists that start themselves: templates (admins write, everyone reads),
the tasks they make when an application reaches a status, once per
application, and the application's checklist counts."""

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from leopard.queries import tasks as task_queries

from ..support.clients import VISAS, error_of, new_application, new_client
from ..support.common import unique
from ..support.sse import SSE
from ..support.tasks import TASKS, inbox, send

TEMPLATES = "/api/v1/task-templates/"


def lodged(**fields) -> dict:
    """A template for 'Partner' applications entering VISA_APPLIED."""
    body = {
        "name": unique("Partner lodged"),
        "visa_type": unique("Partner"),
        "on_status": "VISA_APPLIED",
        "tasks": [
            {
                "title": "Request police certificates",
                "priority": "HIGH",
                "due_in_business_days": 5,
            },
            {
                "title": "Send the acknowledgement",
                "assign_to": "acting_user",
                "due_in_business_days": 1,
                "tags": ["client"],
            },
            {"title": "Check the file", "detail": "All of it"},
        ],
    }
    return {**body, **fields}


def due_after(n: int) -> datetime:
    """17:00 UTC on the nth weekday after today (the default office calendar,
    counted here by hand: no holidays, no closures near today)."""
    day = datetime.now(UTC).date()
    while n:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return datetime.combine(day, time(17), tzinfo=UTC)


async def made_tasks(client, person, application_id) -> list[dict]:
    resp = await client.get(
        TASKS,
        params={"visa_application_id": str(application_id), "ordering": "created_at"},
        headers=person.headers,
    )
    assert resp.status == 200
    return (await resp.json())["results"]


async def test_a_new_application_at_the_status_gets_its_checklist(client, make_user):
    admin, alice, bob = await make_user("admin"), await make_user(), await make_user()
    template = await send(client, "POST", TEMPLATES, admin, lodged(), expect=201)
    owner = await new_client(client, alice)
    async with SSE.open(client, headers=bob.headers) as bob_stream:
        async with SSE.open(client, headers=alice.headers) as alice_stream:
            visa = await new_application(
                client,
                alice,
                owner["id"],
                visa_type=template["visa_type"].upper(),
                status="VISA_APPLIED",
                assigned_to=bob.id,
            )
            told = await bob_stream.notifications(3)  # the application, two tasks
            await alice_stream.nothing()
    assert visa["checklist"] == {"open": 3, "done": 0}
    tasks = await made_tasks(client, alice, visa["id"])
    assert [t["title"] for t in tasks] == [
        "Request police certificates",
        "Send the acknowledgement",
        "Check the file",
    ]
    police, ack, check = tasks
    assert (police["assigned_to"], ack["assigned_to"], check["assigned_to"]) == (
        bob.id,
        alice.id,
        bob.id,
    )
    assert datetime.fromisoformat(police["due_date"]) == due_after(5)
    assert datetime.fromisoformat(ack["due_date"]) == due_after(1)
    assert check["due_date"] is None and check["detail"] == "All of it"
    for task in tasks:
        assert task["template_id"] == template["id"]
        assert (task["client_id"], task["created_by"]) == (owner["id"], alice.id)
    assert police["priority"] == "HIGH" and ack["tags"] == ["client"]
    kinds = sorted(n["notification_type"] for n in told)
    assert kinds == ["TASK_ASSIGNED", "TASK_ASSIGNED", "VISA_APPLICATION_ASSIGNED"]
    # The history says the template made them, and who changed the status.
    entries = await send(client, "GET", f"{TASKS}{police['id']}/history/", alice)
    created = entries["results"][0]
    assert (created["action"], created["actor_id"]) == ("created", alice.id)
    assert created["changes"]["template_id"] == [None, template["id"]]


async def test_a_status_entered_again_makes_no_second_set(client, make_user):
    admin, alice = await make_user("admin"), await make_user()
    template = await send(client, "POST", TEMPLATES, admin, lodged(), expect=201)
    owner = await new_client(client, alice)
    visa = await new_application(
        client, alice, owner["id"], visa_type=template["visa_type"]
    )
    path = f"{VISAS}{visa['id']}/"
    assert visa["checklist"] == {"open": 0, "done": 0}
    changed = await send(client, "PATCH", path, alice, {"status": "VISA_APPLIED"})
    assert changed["checklist"] == {"open": 3, "done": 0}
    first = await made_tasks(client, alice, visa["id"])
    await send(client, "DELETE", f"{TASKS}{first[0]['id']}/", alice, expect=204)
    for status in ("TO_BE_APPLIED", "VISA_APPLIED", "CASE_OPENED", "VISA_APPLIED"):
        await send(client, "PATCH", path, alice, {"status": status})
    assert len(await made_tasks(client, alice, visa["id"])) == 2
    await send(
        client, "PATCH", f"{TASKS}{first[1]['id']}/", alice, {"status": "COMPLETED"}
    )
    got = await send(client, "GET", path, alice)
    assert got["checklist"] == {"open": 1, "done": 1}
    resp = await client.get(
        VISAS, params={"client_id": str(owner["id"])}, headers=alice.headers
    )
    assert (await resp.json())["results"][0]["checklist"] == {"open": 1, "done": 1}


async def test_two_status_changes_at_once_make_one_set(client, make_user):
    admin, alice, bob = await make_user("admin"), await make_user(), await make_user()
    template = await send(client, "POST", TEMPLATES, admin, lodged(), expect=201)
    owner = await new_client(client, alice)
    for _ in range(20):
        visa = await new_application(
            client, alice, owner["id"], visa_type=template["visa_type"]
        )
        path = f"{VISAS}{visa['id']}/"
        answers = await asyncio.gather(
            client.patch(path, json={"status": "VISA_APPLIED"}, headers=alice.headers),
            client.patch(path, json={"status": "VISA_APPLIED"}, headers=bob.headers),
        )
        assert [r.status for r in answers] == [200, 200]
        assert len(await made_tasks(client, alice, visa["id"])) == 3


async def test_only_active_templates_of_the_type_or_of_every_type_run(
    client, make_user
):
    admin, alice = await make_user("admin"), await make_user()
    kind = unique("Student")
    typed = await send(
        client,
        "POST",
        TEMPLATES,
        admin,
        lodged(visa_type=kind, tasks=[{"title": "Typed"}]),
        expect=201,
    )
    await send(
        client,
        "POST",
        TEMPLATES,
        admin,
        lodged(visa_type=unique("Other"), tasks=[{"title": "Other type"}]),
        expect=201,
    )
    off = await send(
        client,
        "POST",
        TEMPLATES,
        admin,
        lodged(visa_type=kind, active=False, tasks=[{"title": "Off"}]),
        expect=201,
    )
    anything = await send(
        client,
        "POST",
        TEMPLATES,
        admin,
        lodged(visa_type=None, on_status="CASE_OPENED", tasks=[{"title": "Any type"}]),
        expect=201,
    )
    owner = await new_client(client, alice)
    visa = await new_application(
        client, alice, owner["id"], visa_type=kind.lower(), status="VISA_APPLIED"
    )
    await send(
        client, "PATCH", f"{VISAS}{visa['id']}/", alice, {"status": "CASE_OPENED"}
    )
    titles = [t["title"] for t in await made_tasks(client, alice, visa["id"])]
    assert titles == ["Typed", "Any type"]
    # Editing or deactivating a template changes no task it made; deleting it
    # leaves them, unlinked.
    await send(
        client,
        "PATCH",
        f"{TEMPLATES}{typed['id']}/",
        admin,
        {"active": False, "tasks": [{"title": "Renamed"}]},
    )
    await send(client, "DELETE", f"{TEMPLATES}{anything['id']}/", admin, expect=204)
    tasks = await made_tasks(client, alice, visa["id"])
    assert [(t["title"], t["template_id"]) for t in tasks] == [
        ("Typed", typed["id"]),
        ("Any type", None),
    ]
    listed = await send(client, "GET", f"{TEMPLATES}{off['id']}/", alice)
    assert listed["active"] is False


async def test_the_application_assignee_absent_leaves_the_task_unassigned(
    client, make_user
):
    admin, alice = await make_user("admin"), await make_user()
    template = await send(
        client,
        "POST",
        TEMPLATES,
        admin,
        lodged(tasks=[{"title": "Whose?"}]),
        expect=201,
    )
    owner = await new_client(client, alice)
    visa = await new_application(
        client,
        alice,
        owner["id"],
        visa_type=template["visa_type"],
        status="VISA_APPLIED",
    )
    [task] = await made_tasks(client, alice, visa["id"])
    assert task["assigned_to"] is None
    assert await inbox(client, alice) == []


async def test_a_failure_while_making_the_tasks_rolls_the_change_back(
    client, make_user, monkeypatch
):
    admin, alice = await make_user("admin"), await make_user()
    template = await send(client, "POST", TEMPLATES, admin, lodged(), expect=201)
    owner = await new_client(client, alice)
    visa = await new_application(
        client, alice, owner["id"], visa_type=template["visa_type"]
    )

    async def fail(conn, rows):
        raise RuntimeError("in the middle")

    monkeypatch.setattr(task_queries, "insert_tasks", fail)
    path = f"{VISAS}{visa['id']}/"
    resp = await client.patch(
        path, json={"status": "VISA_APPLIED"}, headers=alice.headers
    )
    assert resp.status == 500
    monkeypatch.undo()
    assert (await send(client, "GET", path, alice))["status"] == "TO_BE_APPLIED"
    # Nothing half-made: the run was not recorded, so the next change makes them.
    await send(client, "PATCH", path, alice, {"status": "VISA_APPLIED"})
    assert len(await made_tasks(client, alice, visa["id"])) == 3


async def test_staff_read_templates_and_only_admins_write_them(client, make_user):
    admin, alice = await make_user("admin"), await make_user()
    made = await send(client, "POST", TEMPLATES, admin, lodged(), expect=201)
    assert made["active"] is True and made["tasks"][2]["priority"] == "MEDIUM"
    assert made["tasks"][2]["assign_to"] == "application_assignee"
    for method, path, body in [
        ("POST", TEMPLATES, lodged()),
        ("PATCH", f"{TEMPLATES}{made['id']}/", {"active": False}),
        ("DELETE", f"{TEMPLATES}{made['id']}/", None),
    ]:
        resp = await client.request(method, path, json=body, headers=alice.headers)
        assert (await error_of(resp, 403))["code"] == "forbidden"
    assert await send(client, "GET", f"{TEMPLATES}{made['id']}/", alice) == made
    listed = await send(client, "GET", TEMPLATES, alice)
    assert made in listed["results"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"tasks": []}, "tasks"),
        ({"tasks": [{"title": f"t{i}"} for i in range(51)]}, "tasks"),
        ({"on_status": "LODGED"}, "on_status"),
        ({"name": ""}, "name"),
        ({"tasks": [{"title": "x", "priority": "SOON"}]}, "tasks"),
        ({"tasks": [{"title": "x", "due_in_business_days": 0}]}, "tasks"),
        ({"tasks": [{"title": "x", "due_in_business_days": 367}]}, "tasks"),
        ({"tasks": [{"title": "x", "assign_to": "anyone"}]}, "tasks"),
        ({"tasks": [{"title": "x", "assign_to": {"user": 1, "team": 2}}]}, "tasks"),
        ({"tasks": [{"title": "x", "assign_to": {"user": "7"}}]}, "tasks"),
        (
            {"tasks": [{"title": "x", "assign_to": {"user": 2**62}}]},
            "tasks.0.assign_to",
        ),
    ],
)
async def test_a_bad_template_is_refused_and_nothing_stored(
    client, make_user, change, field
):
    admin = await make_user("admin")
    body = lodged(**change)
    resp = await client.post(TEMPLATES, json=body, headers=admin.headers)
    error = await error_of(resp, 422)
    assert field in error["fields"], error
    resp = await client.get(TEMPLATES, params={"limit": "200"}, headers=admin.headers)
    assert body["name"] not in [t["name"] for t in (await resp.json())["results"]]


async def test_a_name_is_taken_whatever_its_case(client, make_user):
    admin = await make_user("admin")
    made = await send(client, "POST", TEMPLATES, admin, lodged(), expect=201)
    resp = await client.post(
        TEMPLATES, json=lodged(name=made["name"].upper()), headers=admin.headers
    )
    assert (await error_of(resp, 409))["fields"] == {"name": ["already taken"]}


async def test_the_run_record_alone_lets_one_of_two_transactions_make_the_tasks(
    client, engine, make_user
):
    """Without the application's row lock that the status change takes: two
    transactions running the templates for one application at once make one
    set, the (application, template) key deciding (not a check-then-insert)."""
    from leopard.office_calendar import DEFAULT
    from leopard.queries import visa_applications as visa_queries
    from leopard.services import templates as service
    from leopard.services.work import unit_of_work

    from ..support.common import Recorder

    admin, alice = await make_user("admin"), await make_user()
    template = await send(client, "POST", TEMPLATES, admin, lodged(), expect=201)
    owner = await new_client(client, alice)

    class Actor:
        id = alice.id

    async def run(application_id, both_open):
        async with unit_of_work(engine, Recorder(), Actor) as work:
            application = await visa_queries.get_application(work.conn, application_id)
            await both_open.wait()  # both transactions are open before either runs
            await service.run_templates(work, DEFAULT, Actor, application)

    for _ in range(20):
        visa = await new_application(
            client, alice, owner["id"], visa_type=template["visa_type"]
        )
        async with engine.acquire() as conn:
            await conn.execute(
                "UPDATE visa_applications SET status = 'VISA_APPLIED' WHERE id = %s",
                (visa["id"],),
            )
        both_open = asyncio.Barrier(2)
        await asyncio.gather(run(visa["id"], both_open), run(visa["id"], both_open))
        assert len(await made_tasks(client, alice, visa["id"])) == 3


async def test_a_template_queues_for_a_team_and_an_absent_assignee_gets_a_delegate(
    client, make_user
):
    admin, alice, bob, carol = (
        await make_user("admin"),
        await make_user(),
        await make_user(),
        await make_user(),
    )
    team = await send(
        client,
        "POST",
        "/api/v1/teams/",
        admin,
        {"name": unique("Intake"), "member_ids": [alice.id, carol.id], "lead_ids": []},
        expect=201,
    )
    template = await send(
        client,
        "POST",
        TEMPLATES,
        admin,
        lodged(
            tasks=[
                {"title": "Triage", "assign_to": {"team": team["id"]}},
                {"title": "Draft the submission"},
            ]
        ),
        expect=201,
    )
    # bob, the application's assignee, is away: carol stands in for him.
    now = datetime.now(UTC)
    await send(
        client,
        "PUT",
        "/api/v1/users/me/absence/",
        bob,
        {
            "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(days=3)).isoformat(),
            "delegate_id": carol.id,
        },
    )
    owner = await new_client(client, alice)
    visa = await new_application(
        client,
        alice,
        owner["id"],
        visa_type=template["visa_type"],
        status="VISA_APPLIED",
        assigned_to=bob.id,
    )
    triage, draft = await made_tasks(client, alice, visa["id"])
    assert (triage["assigned_to"], triage["assigned_team"]) == (None, team["id"])
    assert (draft["assigned_to"], draft["delegated_from"]) == (carol.id, bob.id)
    queued = await inbox(client, carol, type="TASK_QUEUED")
    assert [n["meta_info"]["task_id"] for n in queued] == [triage["id"]]
    assert await inbox(client, alice, type="TASK_QUEUED") == []  # she acted
    [assigned] = await inbox(client, carol, type="TASK_ASSIGNED")
    assert assigned["meta_info"]["delegated_from"] == bob.id
    entries = await send(client, "GET", f"{TASKS}{draft['id']}/history/", alice)
    delegated = [e for e in entries["results"] if e["action"] == "delegated"]
    assert delegated[0]["changes"] == {"assigned_to": [bob.id, carol.id]}


async def test_a_team_deleted_since_its_template_was_written_stops_the_change(
    client, make_user
):
    admin, alice = await make_user("admin"), await make_user()
    team = await send(
        client,
        "POST",
        "/api/v1/teams/",
        admin,
        {"name": unique("Gone"), "member_ids": [alice.id], "lead_ids": []},
        expect=201,
    )
    template = await send(
        client,
        "POST",
        TEMPLATES,
        admin,
        lodged(tasks=[{"title": "Ours", "assign_to": {"team": team["id"]}}]),
        expect=201,
    )
    await send(client, "DELETE", f"/api/v1/teams/{team['id']}/", admin, expect=204)
    owner = await new_client(client, alice)
    visa = await new_application(
        client, alice, owner["id"], visa_type=template["visa_type"]
    )
    path = f"{VISAS}{visa['id']}/"
    resp = await client.patch(
        path, json={"status": "VISA_APPLIED"}, headers=alice.headers
    )
    error = await error_of(resp, 409)
    assert "no longer exists" in error["message"]
    assert (await send(client, "GET", path, alice))["status"] == "TO_BE_APPLIED"
    assert await made_tasks(client, alice, visa["id"]) == []
    resp = await client.post(
        TEMPLATES,
        json=lodged(tasks=[{"title": "x", "assign_to": {"team": team["id"]}}]),
        headers=admin.headers,
    )
    assert "tasks.0.assign_to" in (await error_of(resp, 422))["fields"]
