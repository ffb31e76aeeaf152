"""Comments on tasks, and the @mentions in them."""

import re

from ..queries import task_comments as q
from ..queries import tasks as task_queries
from . import notifications, task_notices
from .work import unit_of_work

# @name not glued to a word before it (an email address is no mention).
MENTION = re.compile(r"(?<![\w.@-])@([A-Za-z0-9_.-]+)")


def mention_candidates(body: str) -> list[tuple[str, str]]:
    """(name, name without trailing '.'/'-') per @mention: `@bob.` at the end
    of a sentence names bob, unless a user is called `bob.`."""
    return [(m.lower(), m.lower().rstrip(".-")) for m in MENTION.findall(body)]


async def mentioned_ids(conn, body: str) -> set[int]:
    """The active users a body names as @username, whatever the case."""
    candidates = mention_candidates(body)
    found = await q.active_users_named(conn, {n for pair in candidates for n in pair})
    ids = set()
    for full, short in candidates:
        name = full if full in found else short
        if name in found:
            ids.add(found[name])
    return ids


async def add_comment(engine, broker, actor, task_id: int, body: str):
    """Comment on a task (anyone may); the assignee and the creator get
    TASK_COMMENT, each active user named as @username TASK_MENTIONED instead."""
    async with unit_of_work(engine, broker, actor) as work:
        task = await task_queries.count_comment(work.conn, task_id)
        comment = await q.insert_comment(
            work.conn, task_id=task_id, author_id=actor.id, body=body
        )
        work.record(
            f"task:{task_id}",
            "commented",
            {"comment_id": [None, comment.id], "body": [None, body]},
            case=(task.client_id, task.visa_application_id),
        )
        mentioned = await mentioned_ids(work.conn, body)
        notes = task_notices.on_comment(actor, task, comment, mentioned)
        await notifications.create_notifications(work, notes)
    return comment


async def list_comments(engine, task_id: int, *, limit: int, offset: int):
    """(rows, count): a page of the task's comments, oldest first; NotFound."""
    async with engine.acquire() as conn:
        await task_queries.get_task(conn, task_id)
        return await q.list_comments(conn, task_id, limit=limit, offset=offset)
