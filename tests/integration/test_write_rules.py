"""The rules of the tables every write touches, kept as domains (schema/0013):
the values they refuse, and the derived columns (a task's priority rank, a
notification's group) that Leopard's writes set themselves and a trigger fills
in for a row written without them."""

import psycopg2
import psycopg2.extras
import pytest

from leopard.keys import BROKER, ENGINE
from leopard.queries.notifications import group_of, insert_for_active_users
from leopard.queries.tasks import RANKS, insert_tasks
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.work import unit_of_work
from leopard.store.sql import fetch
from leopard.vocabulary import TASK_PRIORITIES

T = "/api/v1/tasks/"
FILLS = ("tasks_fill_priority_rank", "notifications_fill_group")
# Ids of documents and applications no test makes: the notifications about
# them leave "notified" entries in no other test's history.
FAR = 2**62


async def _run(engine, sql: str, params=None) -> list[tuple]:
    """sql's rows, as tuples (no %-formatting without params)."""
    async with engine.acquire() as conn:
        return [tuple(row.values()) for row in await fetch(conn, sql, params)]


@pytest.fixture
async def fills_refused(engine):
    """While the test runs, the triggers' functions raise: a write that leaves
    a derived column to them fails."""
    kept = []
    for name in FILLS:
        [[definition]] = await _run(
            engine, "SELECT pg_get_functiondef(%s::regproc)", (name,)
        )
        kept.append(definition)
        await _run(
            engine,
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql"
            f" AS $$ BEGIN RAISE EXCEPTION '{name} was called'; END $$",
        )
    try:
        yield
    finally:
        for definition in kept:
            await _run(engine, definition)


async def _created(client, user, body) -> dict:
    resp = await client.post(T, json=body, headers=user.headers)
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def test_leopard_writes_the_rank_and_the_group_itself(
    client, make_user, engine, fills_refused
):
    """Every way Leopard writes a task or a notification sets the derived
    column itself (the triggers, which raise here, are never called), to the
    value the database's own function gives."""
    admin, bob = await make_user("admin"), await make_user()
    ids = []
    for priority in TASK_PRIORITIES:
        # A colleague's task (one statement with its notification), one for
        # oneself (the general way) and one with the default priority.
        for assignee in (bob, admin):
            body = {"title": priority, "priority": priority, "assigned_to": assignee.id}
            ids.append((await _created(client, admin, body))["id"])
    ids.append((await _created(client, admin, {"title": "default"}))["id"])
    async with client.app[ENGINE].acquire() as conn:  # a template's many
        rows = [
            {"title": p, "priority": p, "created_by": admin.id} for p in TASK_PRIORITIES
        ]
        ids += [row.id for row in await insert_tasks(conn, rows)]
    metas = [{"task_id": ids[0]}, {"document_id": FAR}, {"visa_application_id": FAR}]
    metas.append({})
    notes = [NewNotification(bob.id, "TASK_UPDATED", "n", meta_info=m) for m in metas]
    async with unit_of_work(client.app[ENGINE], client.app[BROKER]) as work:
        notified = [row.id for row in await create_notifications(work, notes)]
    async with client.app[ENGINE].acquire() as conn:  # to every active user
        values = {"notification_type": "SYSTEM", "title": "about a document"}
        values["meta_info"] = {"document_id": FAR + 1}
        notified += [row.id for row in await insert_for_active_users(conn, values)]

    ranks = await _run(
        engine,
        "SELECT priority, priority_rank, task_priority_rank(priority) FROM tasks"
        " WHERE id = ANY(%s) ORDER BY id",
        (ids,),
    )
    assert len(ranks) == 13
    assert all(rank == RANKS[p] == expected for p, rank, expected in ranks)
    groups = await _run(
        engine,
        'SELECT "group", notification_group(meta_info) FROM notifications'
        " WHERE id = ANY(%s) OR (assigned_to = %s AND meta_info ? 'task_id')",
        (notified, bob.id),
    )
    assert {g for g, _ in groups} == {
        f"task:{ids[0]}",
        *(f"task:{i}" for i in ids[:8:2]),  # TASK_ASSIGNED of bob's tasks
        f"document:{FAR}",
        f"document:{FAR + 1}",
        f"visa_application:{FAR}",
        None,
    }
    assert all(group == expected for group, expected in groups)
    # And over every row the whole suite has written so far.
    [[wrong_ranks]] = await _run(
        engine,
        "SELECT count(*) FROM tasks"
        " WHERE priority_rank IS DISTINCT FROM task_priority_rank(priority)",
    )
    [[wrong_groups]] = await _run(
        engine,
        "SELECT count(*) FROM notifications"
        ' WHERE "group" IS DISTINCT FROM notification_group(meta_info)',
    )
    assert (wrong_ranks, wrong_groups) == (0, 0)


async def test_a_row_written_without_them_gets_them_from_the_trigger(engine, make_user):
    alice = await make_user()
    [[task, rank]] = await _run(
        engine,
        "INSERT INTO tasks (title, priority, created_by) VALUES ('x', 'URGENT', %s)"
        " RETURNING id, priority_rank",
        (alice.id,),
    )
    assert rank == 4
    [[rank]] = await _run(
        engine,
        "UPDATE tasks SET priority = 'LOW' WHERE id = %s RETURNING priority_rank",
        (task,),
    )
    assert rank == 1
    [[rank]] = await _run(  # the rank itself cannot be set apart from priority
        engine,
        "UPDATE tasks SET priority_rank = 9 WHERE id = %s RETURNING priority_rank",
        (task,),
    )
    assert rank == 1
    [[note, group]] = await _run(
        engine,
        "INSERT INTO notifications (assigned_to, notification_type, title, meta_info)"
        " VALUES (%s, 'SYSTEM', 'x', '{\"document_id\": 4}') RETURNING id, \"group\"",
        (alice.id,),
    )
    assert group == "document:4"
    [[group]] = await _run(
        engine,
        "UPDATE notifications SET meta_info = '{\"task_id\": %s}'"
        ' WHERE id = %s RETURNING "group"',
        (task, note),
    )
    assert group == f"task:{task}"


@pytest.mark.parametrize(
    "meta",
    [
        {"task_id": 7},
        {"document_id": 3, "client_id": 1},
        {"visa_application_id": 2},
        {"task_id": "12", "document_id": 4},
        {"task_id": True, "visa_application_id": 8},
        {"task_id": None, "document_id": [1]},
        {"task_id": 2**70},
        {"client_id": 3},
        {},
    ],
)
async def test_the_group_leopard_writes_is_the_database_s(engine, meta):
    [[expected]] = await _run(
        engine, "SELECT notification_group(%s::jsonb)", (psycopg2.extras.Json(meta),)
    )
    assert group_of(meta) == expected


@pytest.mark.parametrize(
    "meta", [{"task_id": 1.5, "document_id": 4}, {"task_id": 1e16}]
)
def test_a_number_not_an_integer_is_left_to_the_trigger(meta):
    """Python and PostgreSQL spell such numbers differently (1e+16 and
    10000000000000000): Leopard writes no group, and the trigger (see
    test_a_row_written_without_them_gets_them_from_the_trigger) PostgreSQL's."""
    assert group_of(meta) is None


async def test_the_rank_leopard_writes_is_the_database_s(engine):
    got = await _run(
        engine,
        "SELECT p, task_priority_rank(p) FROM unnest(%s::text[]) AS p",
        (list(TASK_PRIORITIES),),
    )
    assert dict(got) == RANKS == {"LOW": 1, "MEDIUM": 2, "HIGH": 3, "URGENT": 4}


def _task(column: str, value: str) -> str:
    return (
        f"INSERT INTO tasks (created_by, title, {column})"
        f" VALUES (%(user)s, 't', {value})"
    )


def _note(kind="'SYSTEM'", meta="'{}'") -> str:
    return (
        "INSERT INTO notifications (assigned_to, title, notification_type, meta_info)"
        f" VALUES (%(user)s, 'n', {kind}, {meta})"
    )


def _entry(subject="'task:1'", action="'created'", changes="'{}'") -> str:
    return (
        "INSERT INTO history (subject, action, changes)"
        f" VALUES ({subject}, {action}, {changes})"
    )


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        (
            "INSERT INTO tasks (created_by, title) VALUES (%(user)s, '')",
            "task_title_length",
        ),
        (
            "INSERT INTO tasks (created_by, title) VALUES (%(user)s, repeat('x', 201))",
            "task_title_length",
        ),
        (_task("priority", "'NOW'"), "task_priority_known"),
        (_task("status", "'DONE'"), "task_status_known"),
        (_task("tags", "array_fill('t'::text, ARRAY[21])"), "task_tags_at_most_20"),
        (_task("comment_count", "-1"), "tally_not_negative"),
        (_note(kind="'NOPE'"), "notification_type_known"),
        (_note(meta="'[]'"), "json_fields_is_object"),
        (_entry(subject="'user:1'"), "history_subject_form"),
        (_entry(subject="'task:'"), "history_subject_form"),
        (_entry(action="'edited'"), "history_action_known"),
        (_entry(changes="'[1]'"), "json_fields_is_object"),
    ],
)
async def test_the_rules_refuse_what_they_refused(engine, make_user, sql, rule):
    """Each rule, now a domain's, refuses the values its CHECK did, by name,
    and stores nothing."""
    alice = await make_user()
    table = sql.split()[2]
    [[before]] = await _run(engine, f"SELECT count(*) FROM {table}")
    with pytest.raises(psycopg2.errors.CheckViolation) as refused:
        await _run(engine, sql, {"user": alice.id})
    assert refused.value.diag.constraint_name == rule
    [[after]] = await _run(engine, f"SELECT count(*) FROM {table}")
    assert after == before
