"""Escalation: an assignment left unseen past its priority's minutes, and a
task not done a business day after its due date, are told once to whoever
can act (the team's leads, else the assignee's, else the admins), never to
the assignee, however many processes sweep.

These tests have a database of their own: a sweep escalates every task that
is due for it, and the suite's other tasks would be told to its admins."""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from leopard.services import escalations as service
from leopard.store.db import open_engine
from leopard.store.migrations import migrate

from ..support.common import Recorder
from ..support.reminders import add_task, eventually
from ..support.sse import SSE
from ..support.tasks import TASKS, get_json, inbox, make_task, send
from ..support.teams import away, make_team

URGENT_1 = (("URGENT", 1),)
# The tasks' assignments as if made 61 seconds ago.
AGED = sa.text(
    "UPDATE notifications SET created_at = created_at - interval '61 seconds' "
    "WHERE notification_type = 'TASK_ASSIGNED' "
    "AND (meta_info->>'task_id')::bigint = ANY(CAST(:ids AS bigint[]))"
)


@pytest.fixture(scope="module")
def database_url(fresh_database):
    with fresh_database() as url:

        async def build():
            async with open_engine(url, maxsize=1) as engine:
                await migrate(engine)

        asyncio.run(build())
        yield url


async def sweep(engine, settings, now=None, minutes=URGENT_1, **kwargs) -> int:
    settings = replace(settings, escalate_unseen=minutes)
    return await service.sweep(engine, Recorder(), settings, now, **kwargs)


async def escalations(client, person) -> list[tuple]:
    """(task id, reason) of each TASK_ESCALATED the person got, oldest first."""
    notes = await inbox(client, person, type="TASK_ESCALATED", limit=200)
    return [(n["meta_info"]["task_id"], n["meta_info"]["reason"]) for n in notes][::-1]


def escalated_total(reason: str) -> float:
    found = REGISTRY.get_sample_value(
        "leopard_task_escalations_total", {"reason": reason}
    )
    return found or 0.0


def later(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


async def test_an_urgent_assignment_left_unseen_is_escalated_once_to_the_lead(
    client, engine, settings, make_user
):
    admin, lead, tom = await make_user("admin"), await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom], leads=[lead])
    task = await make_task(
        client,
        admin,
        title="Lodge the appeal",
        priority="URGENT",
        assigned_to=tom.id,
        assigned_team=team["id"],
    )
    await sweep(engine, settings)
    await sweep(engine, settings, later(50))
    assert await escalations(client, lead) == []
    before = escalated_total("unseen")
    await sweep(engine, settings, later(65))
    await sweep(engine, settings, later(600))
    assert await escalations(client, lead) == [(task["id"], "unseen")]
    assert escalated_total("unseen") == before + 1
    [note] = await inbox(client, lead, type="TASK_ESCALATED")
    assert note["title"] == "Not seen yet: Lodge the appeal"
    assert note["meta_info"]["assignee_id"] == tom.id
    assert note["meta_info"]["team_id"] == team["id"]
    assert await escalations(client, tom) == []
    assert await escalations(client, admin) == []
    entries = (await get_json(client, f"{TASKS}{task['id']}/history/", lead))["results"]
    [entry] = [e for e in entries if e["action"] == "escalated"]
    assert entry["actor_id"] is None
    assert entry["changes"] == {"reason": [None, "unseen"], "told": [None, [lead.id]]}


async def test_an_assignment_seen_in_time_is_not_escalated(
    client, engine, settings, make_user
):
    admin, lead, eve = await make_user("admin"), await make_user(), await make_user()
    team = await make_team(client, admin, members=[eve], leads=[lead])
    async with SSE.open(client, headers=eve.headers) as stream:
        task = await make_task(
            client,
            admin,
            priority="URGENT",
            assigned_to=eve.id,
            assigned_team=team["id"],
        )
        await stream.until("notification")

        async def seen():
            body = await get_json(client, f"{TASKS}{task['id']}/", admin)
            return body["assignee_seen_at"]

        await eventually(seen)
    await sweep(engine, settings, later(120))
    assert await escalations(client, lead) == []


async def test_what_is_seen_by_definition_or_not_named_is_not_escalated(
    client, engine, settings, make_user
):
    admin, lead, tom = await make_user("admin"), await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom], leads=[lead])
    claimed = await make_task(
        client, admin, priority="URGENT", assigned_team=team["id"]
    )
    await send(client, "POST", f"{TASKS}{claimed['id']}/claim/", tom)
    await make_task(client, tom, priority="URGENT", assigned_to=tom.id)
    high = await make_task(
        client, admin, priority="HIGH", assigned_to=tom.id, assigned_team=team["id"]
    )
    await sweep(engine, settings, later(120))
    await sweep(engine, settings, later(7200), minutes=())
    assert await escalations(client, lead) == []
    await sweep(engine, settings, later(7200), minutes=(("HIGH", 60),))
    assert await escalations(client, lead) == [(high["id"], "unseen")]


async def test_the_assignee_is_never_told_and_the_admins_are_when_no_lead_is_left(
    client, engine, settings, make_user
):
    admin, lead, boss = await make_user("admin"), await make_user(), await make_user()
    team = await make_team(client, admin, members=[lead], leads=[lead])
    task = await make_task(
        client, boss, priority="URGENT", assigned_to=lead.id, assigned_team=team["id"]
    )
    await sweep(engine, settings, later(120))
    assert await escalations(client, lead) == []
    assert await escalations(client, admin) == [(task["id"], "unseen")]


async def test_without_a_team_the_leads_of_the_assignees_teams_are_told(
    client, engine, settings, make_user
):
    admin, lead, other, tom = [await make_user(r) for r in ("admin", *["staff"] * 3)]
    await make_team(client, admin, members=[tom], leads=[lead])
    await make_team(client, admin, members=[tom], leads=[other])
    task = await make_task(client, admin, priority="URGENT", assigned_to=tom.id)
    await sweep(engine, settings, later(120))
    for person in (lead, other):
        assert await escalations(client, person) == [(task["id"], "unseen")]
    assert await escalations(client, admin) == []


async def test_an_escalation_for_a_lead_who_is_away_goes_to_their_delegate(
    client, engine, settings, make_user
):
    admin, lead, ana, tom = [await make_user(r) for r in ("admin", *["staff"] * 3)]
    team = await make_team(client, admin, members=[tom], leads=[lead])
    await away(client, lead, ana)
    task = await make_task(
        client, admin, priority="URGENT", assigned_to=tom.id, assigned_team=team["id"]
    )
    await sweep(engine, settings, later(120))
    assert await escalations(client, lead) == []
    [note] = await inbox(client, ana, type="TASK_ESCALATED")
    assert (note["meta_info"]["task_id"], note["meta_info"]["on_behalf_of"]) == (
        task["id"],
        lead.id,
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def test_a_task_overdue_by_a_business_day_across_a_weekend_escalates_once(
    client, engine, settings, make_user
):
    admin, lead, tom = await make_user("admin"), await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom], leads=[lead])
    # Due Friday 1 March 2024 (office in UTC, Sat and Sun off): the first
    # business day after is Monday the 4th, which closes at 17:00.
    task = await add_task(engine, tom, at("2024-03-01T10:00"), assigned_team=team["id"])
    for now in ("2024-03-01T18:00", "2024-03-02T12:00", "2024-03-04T16:59"):
        await sweep(engine, settings, at(now))
    assert await escalations(client, lead) == []
    await sweep(engine, settings, at("2024-03-04T17:01"))
    await sweep(engine, settings, at("2024-03-05T17:01"))
    await sweep(engine, settings)
    assert await escalations(client, lead) == [(task, "overdue")]
    [note] = await inbox(client, lead, type="TASK_ESCALATED")
    assert note["title"].startswith("Overdue: ")
    assert note["message"] == (
        f"This task was due on 2024-03-01 10:00 UTC and {tom.username} has not done it."
    )
    assert await escalations(client, tom) == []


async def test_a_new_due_date_may_escalate_again_and_a_done_task_never(
    client, engine, settings, make_user
):
    admin, lead, tom = await make_user("admin"), await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom], leads=[lead])
    task = await add_task(engine, tom, at("2024-04-01T09:00"), assigned_team=team["id"])
    done = await add_task(
        engine,
        tom,
        at("2024-04-01T09:00"),
        status="COMPLETED",
        assigned_team=team["id"],
    )
    await sweep(engine, settings, at("2024-04-03T09:00"))
    async with engine.acquire() as conn:
        await conn.execute(
            "UPDATE tasks SET due_date = %s WHERE id = %s",
            (at("2024-04-10T09:00"), task),
        )
    await sweep(engine, settings, at("2024-04-12T09:00"))
    assert await escalations(client, lead) == [(task, "overdue"), (task, "overdue")]
    assert done not in [t for t, _ in await escalations(client, lead)]


BULK = """
INSERT INTO tasks (title, due_date, assigned_to, assigned_team, created_by)
SELECT 'bulk ' || g, %(due)s, %(tom)s, %(team)s, %(tom)s
FROM generate_series(1, %(n)s) AS g RETURNING id
"""


async def test_three_processes_sweeping_at_once_escalate_each_task_once(
    client, database_url, engine, settings, make_user
):
    admin, lead, tom = await make_user("admin"), await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom], leads=[lead])
    async with engine.acquire() as conn:
        result = await conn.execute(
            BULK,
            {
                "due": at("2024-05-06T09:00"),
                "tom": tom.id,
                "team": team["id"],
                "n": 150,
            },
        )
        overdue = {row.id for row in await result.fetchall()}
    unseen = set()
    for _ in range(20):
        task = await make_task(
            client,
            admin,
            priority="URGENT",
            assigned_to=tom.id,
            assigned_team=team["id"],
        )
        unseen.add(task["id"])
    async with (
        open_engine(database_url, maxsize=2) as one,
        open_engine(database_url, maxsize=2) as two,
        open_engine(database_url, maxsize=2) as three,
    ):
        for round_ in range(3):
            now = later(120 + round_)
            await asyncio.gather(
                *(sweep(e, settings, now, batch=7) for e in (one, two, three) * 2)
            )
    got = await escalations(client, lead)
    assert len(got) == len(set(got))
    assert {t for t, reason in got if reason == "overdue"} == overdue
    assert {t for t, reason in got if reason == "unseen"} == unseen
    assert len([1 for t, _ in got if t in overdue | unseen]) == 170


async def test_the_sweeper_escalates_an_unseen_urgent_task_by_itself(
    serve, make_app, make_user, engine
):
    """With the app's own sweeper running (every quarter second): nothing while
    the assignment is younger than its minute; once it is a minute old (its
    TASK_ASSIGNED written 61 seconds earlier, rather than a minute waited),
    the lead is told by the next sweeps, once, and not of what Eve saw."""
    client = await serve(make_app(escalate_unseen=URGENT_1, reminder_interval=0.25))
    admin, lead, tom, eve = [await make_user(r) for r in ("admin", *["staff"] * 3)]
    team = await make_team(client, admin, members=[tom, eve], leads=[lead])
    async with (
        SSE.open(client, headers=lead.headers) as lead_stream,
        SSE.open(client, headers=eve.headers) as eve_stream,
    ):
        unseen = await make_task(
            client,
            admin,
            priority="URGENT",
            assigned_to=tom.id,
            assigned_team=team["id"],
        )
        seen = await make_task(
            client,
            admin,
            priority="URGENT",
            assigned_to=eve.id,
            assigned_team=team["id"],
        )
        await eve_stream.until("notification")
        # Four sweeps at least: the assignments are too young.
        await lead_stream.nothing(within=1.25)
        async with engine.acquire() as conn:
            await conn.execute(AGED, ids=[unseen["id"], seen["id"]])
        frame = await lead_stream.until("notification", timeout=10)
        note = frame.json
        assert (note["notification_type"], note["meta_info"]["task_id"]) == (
            "TASK_ESCALATED",
            unseen["id"],
        )
        # More ticks: nothing more, and nothing about what Eve saw in time.
        await lead_stream.nothing(within=1.5)
    assert seen["id"] not in [t for t, _ in await escalations(client, lead)]
