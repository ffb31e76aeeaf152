"""Read receipts on a task: when the assignee's stream got the assignment
(`assignee_seen_at`) and when they read it (`assignee_read_at`); null until
then, and null again after a reassignment."""

from ..support.reminders import eventually
from ..support.sse import SSE
from ..support.tasks import TASKS, get_json, inbox, make_task, send


async def receipts(client, person, task_id):
    task = await get_json(client, f"{TASKS}{task_id}/", person)
    return task["assignee_seen_at"], task["assignee_read_at"]


async def seen(client, person, task_id):
    """The receipts once assignee_seen_at is set (delivered_at is written in
    batches, half a second apart)."""

    async def check():
        got = await receipts(client, person, task_id)
        return got if got[0] is not None else None

    return await eventually(check)


async def test_the_creator_sees_when_the_assignee_got_and_read_the_task(
    client, make_user
):
    boss, maria = await make_user(), await make_user()
    task = await make_task(client, boss, assigned_to=maria.id)
    assert (task["assignee_seen_at"], task["assignee_read_at"]) == (None, None)
    assert await receipts(client, boss, task["id"]) == (None, None)

    async with SSE.open(client, headers=maria.headers) as sse:
        await send(client, "PATCH", f"{TASKS}{task['id']}/", boss, {"priority": "HIGH"})
        # Not yet opened by her stream: the assignment came before it opened and
        # was not replayed; the update that follows does not count either.
        await sse.until("notification")
    assert await receipts(client, boss, task["id"]) == (None, None)

    async with SSE.open(client, headers={**maria.headers, "Last-Event-ID": "0"}) as sse:
        pass  # SSE.open reads through the replay: the assignment is written
    first_seen, read = await seen(client, boss, task["id"])
    assert read is None

    [assigned] = [
        n
        for n in await inbox(client, maria)
        if n["notification_type"] == "TASK_ASSIGNED"
    ]
    await send(client, "POST", f"/api/v1/notifications/{assigned['id']}/read/", maria)
    seen_again, read = await receipts(client, boss, task["id"])
    assert seen_again == first_seen and read is not None and read >= first_seen

    listed = await get_json(client, TASKS, boss, created_by="me")
    [row] = [t for t in listed["results"] if t["id"] == task["id"]]
    assert (row["assignee_seen_at"], row["assignee_read_at"]) == (first_seen, read)


async def test_a_reassignment_starts_the_receipts_again(client, make_user):
    boss, maria, olga = await make_user(), await make_user(), await make_user()
    task = await make_task(client, boss, assigned_to=maria.id)
    async with SSE.open(client, headers={**maria.headers, "Last-Event-ID": "0"}):
        pass
    await seen(client, boss, task["id"])
    moved = await send(
        client, "POST", f"{TASKS}{task['id']}/assign/", boss, {"assigned_to": olga.id}
    )
    assert (moved["assignee_seen_at"], moved["assignee_read_at"]) == (None, None)
    assert await receipts(client, boss, task["id"]) == (None, None)
    # Back to maria: her new assignment is a new notice, not yet seen.
    back = await send(
        client, "POST", f"{TASKS}{task['id']}/assign/", boss, {"assigned_to": maria.id}
    )
    assert (back["assignee_seen_at"], back["assignee_read_at"]) == (None, None)
    assert await receipts(client, boss, task["id"]) == (None, None)


async def test_a_task_without_an_assignee_has_no_receipts(client, make_user):
    boss = await make_user()
    task = await make_task(client, boss)
    assert await receipts(client, boss, task["id"]) == (None, None)


async def test_an_assignment_read_as_soon_as_it_arrives_was_seen_no_later(
    client, make_user
):
    """delivered_at is written half a second after the stream writes the
    event; reading sooner than that still leaves seen ≤ read, never "read,
    never seen"."""
    boss, maria = await make_user(), await make_user()
    async with SSE.open(client, headers=maria.headers) as sse:
        task = await make_task(client, boss, assigned_to=maria.id)
        frame = await sse.until("notification")
        note = frame.json
        assert note["notification_type"] == "TASK_ASSIGNED"
        read = await send(
            client, "POST", f"/api/v1/notifications/{note['id']}/read/", maria
        )
    assert read["delivered_at"] is not None
    assert read["delivered_at"] <= read["read_at"]
    seen_at, read_at = await receipts(client, boss, task["id"])
    assert seen_at is not None and read_at is not None
    assert seen_at <= read_at
    # A notification read from the list, never on a stream, was seen when read.
    other = await make_task(client, boss, assigned_to=maria.id)
    [unseen] = [
        n
        for n in await inbox(client, maria)
        if n["meta_info"].get("task_id") == other["id"]
    ]
    bulk = {"action": "mark_read", "ids": [unseen["id"]]}
    await send(client, "POST", "/api/v1/notifications/bulk/", maria, bulk)
    seen_at, read_at = await receipts(client, boss, other["id"])
    assert read_at is not None and seen_at == read_at
