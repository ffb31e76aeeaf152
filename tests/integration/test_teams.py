"""Teams through HTTP: everyone reads them, admins write them, leads are
members, bad people are a 422, and a team with tasks waiting is kept."""

from ..support.clients import error_of
from ..support.common import unique
from ..support.tasks import TASKS, get_json, make_task, send
from ..support.teams import TEAMS, make_team


async def count_teams(engine) -> int:
    async with engine.acquire() as conn:
        return await conn.scalar("SELECT count(*) FROM teams")


async def test_an_admin_makes_a_team_whose_leads_are_members(client, make_user):
    admin, ana, tom = await make_user("admin"), await make_user(), await make_user()
    name = unique("Intake")
    team = await make_team(client, admin, members=[tom], leads=[ana], name=name)
    assert team == {
        "id": team["id"],
        "name": name,
        "lead_ids": [ana.id],
        "member_ids": sorted([ana.id, tom.id]),
    }
    # Everyone reads it, alone and in the list.
    assert await get_json(client, f"{TEAMS}{team['id']}/", tom) == team
    listed = await get_json(client, TEAMS, tom, limit=200)
    assert team in listed["results"]
    assert listed["count"] >= 1


async def test_a_patch_replaces_the_lists_it_names_and_keeps_the_others(
    client, make_user
):
    admin = await make_user("admin")
    ana, tom, eve = await make_user(), await make_user(), await make_user()
    team = await make_team(client, admin, members=[tom], leads=[ana])
    path = f"{TEAMS}{team['id']}/"
    after = await send(client, "PATCH", path, admin, {"member_ids": [eve.id]})
    # Ana stays a lead, so a member; Tom is out.
    assert (after["lead_ids"], after["member_ids"]) == (
        [ana.id],
        sorted([ana.id, eve.id]),
    )
    after = await send(client, "PATCH", path, admin, {"lead_ids": [eve.id]})
    assert (after["lead_ids"], after["member_ids"]) == (
        [eve.id],
        sorted([ana.id, eve.id]),
    )
    renamed = await send(client, "PATCH", path, admin, {"name": "Renamed " + unique()})
    assert renamed["member_ids"] == after["member_ids"]


async def test_staff_cannot_write_teams_and_nothing_changes(client, engine, make_user):
    admin, staff = await make_user("admin"), await make_user()
    team = await make_team(client, admin, members=[staff])
    before = await count_teams(engine)
    path = f"{TEAMS}{team['id']}/"
    for method, url, body in [
        ("POST", TEAMS, {"name": unique("mine")}),
        ("PATCH", path, {"name": "taken over", "lead_ids": [staff.id]}),
        ("DELETE", path, None),
    ]:
        resp = await client.request(method, url, json=body, headers=staff.headers)
        assert (await error_of(resp, 403))["code"] == "forbidden"
    assert await count_teams(engine) == before
    assert await get_json(client, path, staff) == team


async def test_unknown_or_inactive_people_are_a_422_and_nothing_is_made(
    client, engine, make_user
):
    admin, gone = await make_user("admin"), await make_user()
    await send(
        client, "PATCH", f"/api/v1/users/{gone.id}/", admin, {"is_active": False}
    )
    before = await count_teams(engine)
    resp = await client.post(
        TEAMS,
        json={"name": unique(), "lead_ids": [gone.id], "member_ids": [2**62]},
        headers=admin.headers,
    )
    error = await error_of(resp, 422)
    assert error["fields"] == {
        "lead_ids": [f"no active user with id {gone.id}"],
        "member_ids": [f"no active user with id {2**62}"],
    }
    for body in ({"name": " "}, {"name": "x", "member_ids": "1"}, {"name": "x" * 101}):
        resp = await client.post(TEAMS, json=body, headers=admin.headers)
        assert (await error_of(resp, 422))["code"] == "validation_error"
    assert await count_teams(engine) == before


async def test_a_name_is_taken_whatever_its_case(client, make_user):
    admin = await make_user("admin")
    name = unique("Intake")
    await make_team(client, admin, name=name)
    resp = await client.post(TEAMS, json={"name": name.upper()}, headers=admin.headers)
    error = await error_of(resp, 409)
    assert error["fields"] == {"name": ["Another team has this name."]}
    other = await make_team(client, admin)
    resp = await client.patch(
        f"{TEAMS}{other['id']}/", json={"name": name.lower()}, headers=admin.headers
    )
    await error_of(resp, 409)


async def test_a_team_with_tasks_waiting_is_not_deleted(client, make_user):
    admin, tom = await make_user("admin"), await make_user()
    team = await make_team(client, admin, members=[tom])
    path = f"{TEAMS}{team['id']}/"
    waiting = await make_task(client, admin, assigned_team=team["id"])
    claimed = await make_task(client, admin, assigned_team=team["id"])
    await send(client, "POST", f"{TASKS}{claimed['id']}/claim/", tom)
    resp = await client.delete(path, headers=admin.headers)
    assert "1 task wait" in (await error_of(resp, 409))["message"]
    # Done, it no longer waits: the team goes, the claimed task stays Tom's.
    await send(
        client, "PATCH", f"{TASKS}{waiting['id']}/", admin, {"status": "CANCELLED"}
    )
    await send(client, "DELETE", path, admin, expect=204)
    await get_json(client, path, admin, expect=404)
    kept = await get_json(client, f"{TASKS}{claimed['id']}/", admin)
    assert (kept["assigned_to"], kept["assigned_team"]) == (tom.id, None)


async def test_a_task_for_an_unknown_team_is_a_422(client, make_user):
    alice = await make_user()
    resp = await client.post(
        TASKS, json={"title": "x", "assigned_team": 2**62}, headers=alice.headers
    )
    error = await error_of(resp, 422)
    assert error["fields"] == {"assigned_team": [f"no team with id {2**62}"]}
