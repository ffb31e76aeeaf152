"""`event: queue` on the stream: whenever a task enters or leaves a team's
queue, every active member of the team hears it at once, whether or not
they have read their TASK_QUEUED, so that their Queue views follow; nobody
else does, and a task that never was in a queue says nothing."""

from ..support.sse import SSE
from ..support.tasks import TASKS, inbox, make_task, send
from ..support.teams import away, make_team


def queue_event(task, team, queued):
    return {"task_id": task["id"], "team_id": team["id"], "queued": queued}


async def said(stream, timeout: float = 5.0) -> dict:
    """The next `event: queue` on the stream: it carries no id."""
    frame = await stream.until("queue", timeout)
    assert frame.id is None
    return frame.json


async def events_within(stream, quiet: float = 0.5) -> list[str]:
    """The names of the events the stream carries until it is quiet."""
    names = []
    try:
        while True:
            names.append((await stream.next(quiet)).event)
    except TimeoutError:
        return names


async def read_all(client, person) -> None:
    body = {"action": "mark_read", "all": True}
    await send(client, "POST", "/api/v1/notifications/bulk/", person, body)


async def test_a_claim_takes_the_task_out_of_the_queue_of_a_member_who_read_it(
    client, make_user
):
    admin = await make_user("admin")
    ana, tom, outsider = [await make_user() for _ in range(3)]
    team = await make_team(client, admin, members=[ana, tom])
    task = await make_task(client, admin, assigned_team=team["id"])
    # Tom read his TASK_QUEUED: no `event: read` will come for him.
    await read_all(client, tom)
    async with (
        SSE.open(client, headers=tom.headers) as tom_stream,
        SSE.open(client, headers=ana.headers) as ana_stream,
        SSE.open(client, headers=outsider.headers) as outsider_stream,
    ):
        await send(client, "POST", f"{TASKS}{task['id']}/claim/", ana)
        assert await said(tom_stream) == queue_event(task, team, False)
        # Nothing else for him: his notice was read already.
        await tom_stream.nothing()
        # The claimer's streams too: her other tabs and devices follow.
        assert await said(ana_stream) == queue_event(task, team, False)
        await outsider_stream.nothing()


async def test_a_release_puts_the_task_back_in_every_members_queue(client, make_user):
    admin = await make_user("admin")
    tom, eve = await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom, eve])
    task = await make_task(client, admin, assigned_team=team["id"])
    await send(client, "POST", f"{TASKS}{task['id']}/claim/", tom)
    async with (
        SSE.open(client, headers=tom.headers) as tom_stream,
        SSE.open(client, headers=eve.headers) as eve_stream,
        SSE.open(client, headers=admin.headers) as admin_stream,
    ):
        # The admin who releases it is in no team: no queue of hers changes.
        await send(client, "POST", f"{TASKS}{task['id']}/release/", admin)
        assert await said(eve_stream) == queue_event(task, team, True)
        assert await said(tom_stream) == queue_event(task, team, True)
        await admin_stream.nothing()


async def test_a_queued_task_is_said_to_every_member_those_away_included(
    client, make_user
):
    admin = await make_user("admin")
    ana, eve, outsider = [await make_user() for _ in range(3)]
    team = await make_team(client, admin, members=[ana, eve])
    await away(client, eve, ana)
    async with (
        SSE.open(client, headers=ana.headers) as ana_stream,
        SSE.open(client, headers=eve.headers) as eve_stream,
        SSE.open(client, headers=outsider.headers) as outsider_stream,
    ):
        task = await make_task(client, ana, assigned_team=team["id"])
        # Ana put it there herself: no TASK_QUEUED, but her queue changed.
        assert await said(ana_stream) == queue_event(task, team, True)
        # Eve is away: told nothing, yet her queue shows it.
        assert await said(eve_stream) == queue_event(task, team, True)
        await outsider_stream.nothing()
    assert await inbox(client, eve, type="TASK_QUEUED") == []


async def test_a_task_moved_to_another_team_leaves_one_queue_for_the_other(
    client, make_user
):
    admin = await make_user("admin")
    tom, eve = await make_user(), await make_user()
    intake = await make_team(client, admin, members=[tom])
    visas = await make_team(client, admin, members=[eve])
    task = await make_task(client, admin, assigned_team=intake["id"])
    async with (
        SSE.open(client, headers=tom.headers) as tom_stream,
        SSE.open(client, headers=eve.headers) as eve_stream,
    ):
        body = {"assigned_team": visas["id"]}
        await send(client, "PATCH", f"{TASKS}{task['id']}/", admin, body)
        assert await said(tom_stream) == queue_event(task, intake, False)
        assert await said(eve_stream) == queue_event(task, visas, True)
        # Done, and then deleted: it leaves the queue once.
        body = {"status": "COMPLETED"}
        await send(client, "PATCH", f"{TASKS}{task['id']}/", admin, body)
        assert await said(eve_stream) == queue_event(task, visas, False)
        await send(client, "DELETE", f"{TASKS}{task['id']}/", admin, expect=204)
        assert "queue" not in await events_within(eve_stream)
        assert "queue" not in await events_within(tom_stream)


async def test_assigning_or_deleting_a_queued_task_takes_it_out(client, make_user):
    admin = await make_user("admin")
    tom, eve = await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom, eve])
    assigned = await make_task(client, admin, assigned_team=team["id"])
    doomed = await make_task(client, admin, assigned_team=team["id"])
    async with SSE.open(client, headers=tom.headers) as tom_stream:
        body = {"assigned_to": eve.id}
        await send(client, "POST", f"{TASKS}{assigned['id']}/assign/", admin, body)
        assert await said(tom_stream) == queue_event(assigned, team, False)
        await send(client, "DELETE", f"{TASKS}{doomed['id']}/", admin, expect=204)
        assert await said(tom_stream) == queue_event(doomed, team, False)


async def test_a_task_that_is_in_no_queue_says_nothing_of_queues(client, make_user):
    admin = await make_user("admin")
    tom, eve = await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom, eve])
    async with (
        SSE.open(client, headers=tom.headers) as tom_stream,
        SSE.open(client, headers=eve.headers) as eve_stream,
    ):
        # No team; and a team's task that someone has from the start.
        plain = await make_task(client, admin, assigned_to=tom.id)
        held = await make_task(
            client, admin, assigned_to=eve.id, assigned_team=team["id"]
        )
        for task in (plain, held):
            body = {"title": "Renamed", "priority": "HIGH"}
            await send(client, "PATCH", f"{TASKS}{task['id']}/", admin, body)
            await send(client, "DELETE", f"{TASKS}{task['id']}/", admin, expect=204)
        tom_heard = await events_within(tom_stream)
        assert "notification" in tom_heard and "queue" not in tom_heard
        assert "queue" not in await events_within(eve_stream)
