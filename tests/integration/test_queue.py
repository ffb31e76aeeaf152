"""A team's queue through HTTP: a task for a team and nobody waits there and
its members are told; they list it, one claims it (the others' notices read
on their streams), and it can be released back."""

from ..support.clients import error_of
from ..support.metrics import scrape, value
from ..support.sse import SSE
from ..support.tasks import TASKS, get_json, inbox, make_task, send
from ..support.teams import away, make_team


async def queued_to(client, person, task_id) -> list[dict]:
    return [
        n
        for n in await inbox(client, person, type="TASK_QUEUED")
        if n["meta_info"]["task_id"] == task_id
    ]


async def test_a_task_for_a_team_waits_in_its_queue_and_its_members_are_told(
    client, make_user
):
    admin = await make_user("admin")
    ana, tom, eve, outsider = [await make_user() for _ in range(4)]
    team = await make_team(client, admin, members=[ana, tom, eve], leads=[ana])
    await away(client, eve, tom)
    task = await make_task(
        client, ana, title="Call the client", assigned_team=team["id"]
    )
    assert (task["assigned_to"], task["assigned_team"]) == (None, team["id"])
    # Every member but the one who acted, and but Eve, who is away.
    [note] = await queued_to(client, tom, task["id"])
    assert note["title"] == f"Waiting in {team['name']}: Call the client"
    assert note["meta_info"]["team_id"] == team["id"]
    assert await queued_to(client, ana, task["id"]) == []
    assert await queued_to(client, eve, task["id"]) == []
    # It is in the queue of each member, nobody else's.
    for person, listed in [(tom, True), (eve, True), (outsider, False)]:
        page = await get_json(client, TASKS, person, queue="mine", limit=200)
        assert (task["id"] in [t["id"] for t in page["results"]]) is listed
    by_team = await get_json(client, TASKS, outsider, assigned_team=team["id"])
    assert [t["id"] for t in by_team["results"]] == [task["id"]]


async def test_a_claim_takes_the_task_and_reads_the_others_notices_live(
    client, make_user
):
    admin = await make_user("admin")
    ana, tom, eve = [await make_user() for _ in range(3)]
    team = await make_team(client, admin, members=[ana, tom, eve])
    before = value(await scrape(client), "leopard_task_claims_total", outcome="claimed")
    # Another one waiting too: the counts the streams get are totals.
    await make_task(client, admin, assigned_team=team["id"])
    task = await make_task(client, admin, assigned_team=team["id"])
    [toms] = await queued_to(client, tom, task["id"])
    [eves] = await queued_to(client, eve, task["id"])
    [anas] = await queued_to(client, ana, task["id"])
    async with (
        SSE.open(client, headers=tom.headers) as tom_stream,
        SSE.open(client, headers=ana.headers) as ana_stream,
    ):
        unread = tom_stream.start.json["unread_count"]
        assert unread == 2
        claimed = await send(client, "POST", f"{TASKS}{task['id']}/claim/", eve)
        read = await tom_stream.until("read")
        assert read.json == {"ids": [toms["id"]]}
        count = await tom_stream.next()
        assert (count.event, count.json) == (
            "unread_count",
            {"unread_count": unread - 1},
        )
        assert (await ana_stream.until("read")).json == {"ids": [anas["id"]]}
    assert (claimed["assigned_to"], claimed["assigned_by"]) == (eve.id, eve.id)
    assert claimed["assigned_team"] == team["id"]
    # The claimer's own notice is hers to read; she is not told of her claim.
    [still] = await queued_to(client, eve, task["id"])
    assert still["read"] is False and still["id"] == eves["id"]
    assert [n["read"] for n in await queued_to(client, tom, task["id"])] == [True]
    assert await inbox(client, eve, type="TASK_ASSIGNED") == []
    # Out of every queue.
    page = await get_json(client, TASKS, tom, queue="mine", limit=200)
    assert task["id"] not in [t["id"] for t in page["results"]]
    after = value(await scrape(client), "leopard_task_claims_total", outcome="claimed")
    assert after == before + 1


async def test_a_claimed_task_answers_409_naming_who_has_it(client, make_user):
    admin = await make_user("admin")
    ana = await make_user(full_name="Ana Lima")
    tom = await make_user()
    team = await make_team(client, admin, members=[ana, tom])
    task = await make_task(client, admin, assigned_team=team["id"])
    path = f"{TASKS}{task['id']}/claim/"
    await send(client, "POST", path, ana)
    error = await error_of(await client.post(path, headers=tom.headers), 409)
    assert error["code"] == "already_claimed"
    assert "Ana Lima" in error["message"]
    # Taking it again oneself is no claim either.
    error = await error_of(await client.post(path, headers=ana.headers), 409)
    assert error["code"] == "already_claimed"
    assert (await get_json(client, f"{TASKS}{task['id']}/", tom))[
        "assigned_to"
    ] == ana.id


async def test_only_members_claim_and_only_team_tasks_are_claimed(client, make_user):
    admin = await make_user("admin")
    member, outsider = await make_user(), await make_user()
    team = await make_team(client, admin, members=[member])
    task = await make_task(client, admin, assigned_team=team["id"])
    resp = await client.post(f"{TASKS}{task['id']}/claim/", headers=outsider.headers)
    assert (await error_of(resp, 403))["code"] == "forbidden"
    # Not even an admin who is not in the team.
    resp = await client.post(f"{TASKS}{task['id']}/claim/", headers=admin.headers)
    await error_of(resp, 403)
    unqueued = await make_task(client, admin)
    resp = await client.post(f"{TASKS}{unqueued['id']}/claim/", headers=member.headers)
    assert (await error_of(resp, 409))["code"] == "conflict"
    resp = await client.post(f"{TASKS}{2**62}/claim/", headers=member.headers)
    await error_of(resp, 404)
    still = await get_json(client, f"{TASKS}{task['id']}/", admin)
    assert still["assigned_to"] is None


async def test_a_release_puts_it_back_and_tells_the_members_again(client, make_user):
    admin = await make_user("admin")
    lead, tom, eve = [await make_user() for _ in range(3)]
    team = await make_team(client, admin, members=[tom, eve], leads=[lead])
    task = await make_task(client, admin, assigned_team=team["id"])
    path = f"{TASKS}{task['id']}/"
    await send(client, "POST", f"{path}claim/", tom)
    # Eve is not the assignee, a lead or an admin.
    resp = await client.post(f"{path}release/", headers=eve.headers)
    await error_of(resp, 403)
    released = await send(client, "POST", f"{path}release/", lead)
    assert (released["assigned_to"], released["assigned_team"]) == (None, team["id"])
    # Tom is told it was taken from him; Eve and Tom hear it waits again.
    [taken] = [
        n
        for n in await inbox(client, tom, type="TASK_UPDATED")
        if n["meta_info"]["task_id"] == task["id"]
    ]
    assert taken["title"].startswith("Task released")
    assert len(await queued_to(client, eve, task["id"])) == 2
    assert len(await queued_to(client, lead, task["id"])) == 1
    resp = await client.post(f"{path}release/", headers=admin.headers)
    assert "queue already" in (await error_of(resp, 409))["message"]
    # The assignee releases their own; a task without a team cannot be.
    await send(client, "POST", f"{path}claim/", eve)
    await send(client, "POST", f"{path}release/", eve)
    solo = await make_task(client, tom, assigned_to=tom.id)
    resp = await client.post(f"{TASKS}{solo['id']}/release/", headers=tom.headers)
    assert "no team" in (await error_of(resp, 409))["message"]


async def test_claims_and_releases_are_in_the_tasks_history(client, make_user):
    admin = await make_user("admin")
    tom = await make_user()
    team = await make_team(client, admin, members=[tom])
    task = await make_task(client, admin, assigned_team=team["id"])
    path = f"{TASKS}{task['id']}/"
    await send(client, "POST", f"{path}claim/", tom)
    await send(client, "POST", f"{path}release/", admin)
    entries = (await get_json(client, f"{path}history/", tom))["results"]
    steps = [
        (e["action"], e["actor_id"], e["changes"])
        for e in entries
        if e["action"] in ("claimed", "released")
    ]
    assert steps == [
        ("claimed", tom.id, {"assigned_to": [None, tom.id]}),
        ("released", admin.id, {"assigned_to": [tom.id, None]}),
    ]
    [created] = [e for e in entries if e["action"] == "created"]
    assert created["changes"]["assigned_team"] == [None, team["id"]]


async def test_assigning_a_queued_task_takes_it_out_of_the_queue_for_everyone(
    client, make_user
):
    admin = await make_user("admin")
    tom, eve = await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom, eve])
    task = await make_task(client, admin, assigned_team=team["id"])
    await send(
        client, "POST", f"{TASKS}{task['id']}/assign/", admin, {"assigned_to": eve.id}
    )
    # Tom's notice is stale: read; Eve's assignment is what she is told.
    assert [n["read"] for n in await queued_to(client, tom, task["id"])] == [True]
    [assigned] = await inbox(client, eve, type="TASK_ASSIGNED")
    assert assigned["meta_info"]["task_id"] == task["id"]
    # Unassigned again (the team kept), it waits, and they hear of it again.
    await send(client, "PATCH", f"{TASKS}{task['id']}/", admin, {"assigned_to": None})
    assert len(await queued_to(client, tom, task["id"])) == 2
