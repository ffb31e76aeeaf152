"""Who may read, change, assign, delete and comment on a task."""

import pytest

from ..support.tasks import TASKS, get_json, make_task, send


@pytest.fixture
async def people(make_user):
    creator, assignee, other = await make_user(), await make_user(), await make_user()
    return creator, assignee, other, await make_user("admin")


async def test_every_user_reads_every_task(client, people):
    creator, assignee, other, _ = people
    task = await make_task(client, creator, assigned_to=assignee.id)
    assert await get_json(client, f"{TASKS}{task['id']}/", other) == task
    listed = await get_json(client, TASKS, other, q=task["title"])
    assert [t["id"] for t in listed["results"]] == [task["id"]]


async def test_a_user_who_is_neither_creator_nor_assignee_may_not_change_it(
    client, people
):
    creator, assignee, other, _ = people
    task = await make_task(client, creator, assigned_to=assignee.id)
    path = f"{TASKS}{task['id']}/"
    error = await send(client, "PATCH", path, other, {"title": "x"}, expect=403)
    assert error["error"]["code"] == "forbidden"
    await send(client, "POST", f"{path}assign/", other, {"assigned_to": other.id}, 403)
    await send(client, "DELETE", path, other, expect=403)
    assert await get_json(client, path, creator) == task


async def test_the_creator_the_assignee_and_an_admin_may_change_it(client, people):
    creator, assignee, _, admin = people
    task = await make_task(client, creator, assigned_to=assignee.id)
    path = f"{TASKS}{task['id']}/"
    for who, status in ((creator, "IN_PROGRESS"), (assignee, "COMPLETED")):
        changed = await send(client, "PATCH", path, who, {"status": status})
        assert changed["status"] == status
    changed = await send(client, "PATCH", path, admin, {"priority": "URGENT"})
    assert changed["priority"] == "URGENT"
    moved = await send(client, "POST", f"{path}assign/", admin, {"assigned_to": None})
    assert moved["assigned_to"] is None


async def test_the_assignee_may_pass_the_task_on_and_then_loses_the_right(
    client, people
):
    creator, assignee, other, _ = people
    task = await make_task(client, creator, assigned_to=assignee.id)
    path = f"{TASKS}{task['id']}/"
    await send(client, "POST", f"{path}assign/", assignee, {"assigned_to": other.id})
    await send(client, "PATCH", path, assignee, {"title": "mine?"}, expect=403)
    changed = await send(client, "PATCH", path, other, {"title": "mine"})
    assert changed["title"] == "mine"


async def test_the_assignee_may_not_delete_the_task(client, people):
    creator, assignee, _, _ = people
    task = await make_task(client, creator, assigned_to=assignee.id)
    error = await send(client, "DELETE", f"{TASKS}{task['id']}/", assignee, expect=403)
    assert "creator or an admin" in error["error"]["message"]


@pytest.mark.parametrize("deleter", ["creator", "admin"])
async def test_the_creator_or_an_admin_deletes_a_task(client, people, deleter):
    creator, _, _, admin = people
    task = await make_task(client, creator)
    who = creator if deleter == "creator" else admin
    await send(client, "DELETE", f"{TASKS}{task['id']}/", who, expect=204)
    await get_json(client, f"{TASKS}{task['id']}/", creator, expect=404)


async def test_any_user_may_comment_on_any_task(client, people):
    creator, _, other, _ = people
    task = await make_task(client, creator)
    comment = await send(
        client,
        "POST",
        f"{TASKS}{task['id']}/comments/",
        other,
        {"body": "I know this client"},
        expect=201,
    )
    assert comment["author_id"] == other.id


async def test_an_absent_task_answers_404_before_any_permission_check(client, people):
    _, _, other, _ = people
    path = f"{TASKS}999999999/"
    await send(client, "PATCH", path, other, {"title": "x"}, expect=404)
    await send(client, "POST", f"{path}assign/", other, {"assigned_to": None}, 404)
    await send(client, "DELETE", path, other, expect=404)


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", TASKS),
        ("POST", TASKS),
        ("GET", f"{TASKS}1/"),
        ("PATCH", f"{TASKS}1/"),
        ("DELETE", f"{TASKS}1/"),
        ("POST", f"{TASKS}1/assign/"),
        ("GET", f"{TASKS}1/comments/"),
        ("POST", f"{TASKS}1/comments/"),
    ],
)
async def test_every_task_route_needs_a_token(client, method, path):
    resp = await client.request(method, path, json={})
    assert resp.status == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
