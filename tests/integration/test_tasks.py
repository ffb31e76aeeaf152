"""Tasks through HTTP: each route, completed_at, updated_at and comment_count."""

from datetime import datetime

from ..support.common import unique
from ..support.tasks import TASKS, get_json, make_task, send

FIELDS = {
    "id",
    "title",
    "detail",
    "priority",
    "status",
    "due_date",
    "assigned_to",
    "assigned_by",
    "created_by",
    "client_id",
    "visa_application_id",
    "tags",
    "comment_count",
    "completed_at",
    "created_at",
    "updated_at",
    "assignee_seen_at",
    "assignee_read_at",
    "assigned_team",
    "delegated_from",
    "template_id",
}


async def test_a_new_task_has_the_documented_fields_and_defaults(client, make_user):
    alice = await make_user()
    title = unique("Renew passport")
    task = await make_task(client, alice, title=title)
    assert set(task) == FIELDS
    assert task["title"] == title
    assert (task["detail"], task["priority"], task["status"]) == (
        "",
        "MEDIUM",
        "PENDING",
    )
    assert task["created_by"] == alice.id
    assert task["assigned_to"] is task["assigned_by"] is None
    assert task["due_date"] is task["completed_at"] is None
    assert task["assignee_seen_at"] is task["assignee_read_at"] is None
    assert (task["tags"], task["comment_count"]) == ([], 0)
    assert datetime.fromisoformat(task["created_at"]).utcoffset() is not None
    assert task["created_at"] == task["updated_at"]


async def test_a_task_is_created_with_every_field_given(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(
        client,
        alice,
        title="Lodge the application",
        detail="Use the new form",
        priority="URGENT",
        status="IN_PROGRESS",
        due_date="2031-05-01T09:30:00+10:00",
        assigned_to=bob.id,
        tags=["visa", "forms", "visa"],
    )
    assert task["detail"] == "Use the new form"
    assert (task["priority"], task["status"]) == ("URGENT", "IN_PROGRESS")
    assert datetime.fromisoformat(task["due_date"]) == datetime.fromisoformat(
        "2031-04-30T23:30:00+00:00"
    )
    assert (task["assigned_to"], task["assigned_by"]) == (bob.id, alice.id)
    assert task["tags"] == ["visa", "forms"]  # a repeated tag is kept once


async def test_a_task_is_read_by_id_and_an_absent_id_answers_404(client, make_user):
    alice = await make_user()
    task = await make_task(client, alice)
    assert await get_json(client, f"{TASKS}{task['id']}/", alice) == task
    error = await get_json(client, f"{TASKS}999999999/", alice, expect=404)
    assert error["error"]["code"] == "not_found"
    await get_json(client, f"{TASKS}99999999999999999999999/", alice, expect=404)


async def test_a_path_without_the_trailing_slash_reaches_the_same_task(
    client, make_user
):
    alice = await make_user()
    task = await make_task(client, alice)
    assert (await get_json(client, f"{TASKS}{task['id']}", alice))["id"] == task["id"]


async def test_patch_changes_the_fields_given_and_updated_at(client, make_user):
    alice = await make_user()
    task = await make_task(client, alice, detail="old", tags=["a"])
    changed = await send(
        client,
        "PATCH",
        f"{TASKS}{task['id']}/",
        alice,
        {"title": "New title", "priority": "HIGH", "tags": [], "due_date": None},
    )
    assert (changed["title"], changed["priority"]) == ("New title", "HIGH")
    assert (changed["detail"], changed["tags"]) == ("old", [])
    assert changed["updated_at"] > task["updated_at"]
    assert changed["created_at"] == task["created_at"]
    assert await get_json(client, f"{TASKS}{task['id']}/", alice) == changed


async def test_a_patch_that_changes_nothing_keeps_updated_at(client, make_user):
    alice = await make_user()
    task = await make_task(client, alice, priority="LOW")
    same = await send(
        client, "PATCH", f"{TASKS}{task['id']}/", alice, {"priority": "LOW"}
    )
    assert same == task
    assert await send(client, "PATCH", f"{TASKS}{task['id']}/", alice, {}) == task


async def test_completed_at_is_set_on_completion_and_cleared_after(client, make_user):
    alice = await make_user()
    task = await make_task(client, alice)
    path = f"{TASKS}{task['id']}/"
    done = await send(client, "PATCH", path, alice, {"status": "COMPLETED"})
    assert done["completed_at"] is not None
    assert done["completed_at"] == done["updated_at"]
    renamed = await send(client, "PATCH", path, alice, {"title": "Still done"})
    assert renamed["completed_at"] == done["completed_at"]
    reopened = await send(client, "PATCH", path, alice, {"status": "IN_PROGRESS"})
    assert reopened["completed_at"] is None
    again = await send(client, "PATCH", path, alice, {"status": "COMPLETED"})
    assert again["completed_at"] > done["completed_at"]
    cancelled = await send(client, "PATCH", path, alice, {"status": "CANCELLED"})
    assert cancelled["completed_at"] is None


async def test_a_task_created_completed_has_completed_at(client, make_user):
    alice = await make_user()
    task = await make_task(client, alice, status="COMPLETED")
    assert task["completed_at"] == task["created_at"]


async def test_assign_gives_the_task_to_a_user_and_null_to_nobody(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice)
    path = f"{TASKS}{task['id']}/assign/"
    assigned = await send(client, "POST", path, alice, {"assigned_to": bob.id})
    assert (assigned["assigned_to"], assigned["assigned_by"]) == (bob.id, alice.id)
    assert assigned["updated_at"] > task["updated_at"]
    unassigned = await send(client, "POST", path, bob, {"assigned_to": None})
    assert unassigned["assigned_to"] is unassigned["assigned_by"] is None


async def test_patch_may_reassign_too(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice)
    changed = await send(
        client, "PATCH", f"{TASKS}{task['id']}/", alice, {"assigned_to": bob.id}
    )
    assert (changed["assigned_to"], changed["assigned_by"]) == (bob.id, alice.id)


async def test_delete_answers_204_and_the_task_and_its_comments_are_gone(
    client, make_user, engine
):
    alice = await make_user()
    task = await make_task(client, alice)
    path = f"{TASKS}{task['id']}/"
    await send(client, "POST", f"{path}comments/", alice, {"body": "hi"}, expect=201)
    assert await send(client, "DELETE", path, alice, expect=204) is None
    await get_json(client, path, alice, expect=404)
    await get_json(client, f"{path}comments/", alice, expect=404)
    await send(client, "DELETE", path, alice, expect=404)
    async with engine.acquire() as conn:
        left = await conn.scalar(
            "SELECT count(*) FROM task_comments WHERE task_id = %s", (task["id"],)
        )
    assert left == 0


async def test_comments_are_added_listed_oldest_first_and_counted(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice)
    path = f"{TASKS}{task['id']}/comments/"
    first = await send(client, "POST", path, alice, {"body": "First"}, expect=201)
    second = await send(client, "POST", path, bob, {"body": "Second"}, expect=201)
    assert set(first) == {"id", "task_id", "author_id", "body", "created_at"}
    assert (first["task_id"], first["author_id"], first["body"]) == (
        task["id"],
        alice.id,
        "First",
    )
    listed = await get_json(client, path, bob)
    assert listed == {"results": [first, second], "count": 2}
    page = await get_json(client, path, bob, limit=1, offset=1)
    assert page == {"results": [second], "count": 2}
    again = await get_json(client, f"{TASKS}{task['id']}/", bob)
    assert again["comment_count"] == 2
    assert again["updated_at"] == task["updated_at"]  # a comment is no edit
    [listed_task] = (await get_json(client, TASKS, bob, q=task["title"]))["results"]
    assert listed_task["comment_count"] == 2


async def test_commenting_on_an_absent_task_answers_404(client, make_user):
    alice = await make_user()
    resp = await client.post(
        f"{TASKS}999999999/comments/", json={"body": "x"}, headers=alice.headers
    )
    assert resp.status == 404
