"""@mentions in comments: who is named, and TASK_MENTIONED instead of TASK_COMMENT."""

import pytest

from leopard.services.task_comments import mention_candidates

from ..support.common import unique
from ..support.sse import SSE
from ..support.tasks import TASKS, inbox, make_task, send


@pytest.mark.parametrize(
    "body, names",
    [
        ("@bob please", [("bob", "bob")]),
        ("ask @Bob.Smith.", [("bob.smith.", "bob.smith")]),
        ("(@ann-1) and @x_y,", [("ann-1", "ann-1"), ("x_y", "x_y")]),
        ("mail bob@example.com", []),
        ("@@bob or a@bob", []),
        ("@ alone", []),
    ],
)
def test_mentions_are_read_off_the_body(body, names):
    assert mention_candidates(body) == names


async def comment(client, task, person, body):
    path = f"{TASKS}{task['id']}/comments/"
    return await send(client, "POST", path, person, {"body": body}, expect=201)


async def test_a_mentioned_user_gets_task_mentioned_whatever_the_case(
    client, make_user
):
    alice, bob = await make_user(), await make_user()
    dana = await make_user(username=unique("Dana.K"))
    task = await make_task(client, alice)
    async with SSE.open(client, headers=dana.headers) as sse:
        made = await comment(
            client, task, bob, f"Over to you @{dana.username.upper()}."
        )
        [note] = await sse.notifications(1)
        await sse.nothing()
    assert note["notification_type"] == "TASK_MENTIONED"
    assert note["title"] == f"Mentioned in a comment: {task['title']}"
    assert note["message"] == f"{bob.username}: Over to you @{dana.username.upper()}."
    assert note["meta_info"] == {
        "task_id": task["id"],
        "actor_id": bob.id,
        "comment_id": made["id"],
    }
    [to_alice] = await inbox(client, alice)
    assert to_alice["notification_type"] == "TASK_COMMENT"


async def test_a_mentioned_assignee_gets_task_mentioned_instead_of_comment(
    client, make_user
):
    alice, bob, carol = await make_user(), await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    await comment(
        client, task, carol, f"@{bob.username} @{alice.username} @{bob.username}"
    )
    for person in (alice, bob):
        latest = (await inbox(client, person))[0]
        assert latest["notification_type"] == "TASK_MENTIONED"
    assert [n["notification_type"] for n in await inbox(client, bob)] == [
        "TASK_MENTIONED",
        "TASK_ASSIGNED",
    ]


async def test_inactive_unknown_and_self_mentions_tell_nobody(
    client, make_user, engine
):
    alice, admin, gone = await make_user(), await make_user("admin"), await make_user()
    await send(
        client, "PATCH", f"/api/v1/users/{gone.id}/", admin, {"is_active": False}
    )
    task = await make_task(client, alice)
    body = f"@{gone.username} @{alice.username} @{unique('nobody')} {gone.username}"
    await comment(client, task, alice, body)
    assert await inbox(client, alice) == []
    async with engine.acquire() as conn:
        told = await conn.scalar(
            "SELECT count(*) FROM notifications WHERE meta_info->>'task_id' = %s",
            (str(task["id"]),),
        )
    assert told == 0


async def test_a_mention_at_the_end_of_a_sentence_names_the_user(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice)
    await comment(client, task, alice, f"Thanks, @{bob.username}.")
    [note] = await inbox(client, bob)
    assert note["notification_type"] == "TASK_MENTIONED"


async def test_a_long_comment_is_shortened_in_the_message(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    body = "word " * 200
    made = await comment(client, task, alice, body)
    assert made["body"] == body
    note = (await inbox(client, bob))[0]
    assert note["message"].startswith(f"{alice.username}: word word")
    assert note["message"].endswith("…")
    assert len(note["message"]) == len(alice.username) + 2 + 280
