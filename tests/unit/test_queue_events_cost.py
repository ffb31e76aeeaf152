"""A task that never was in a team's queue costs the queue's hooks nothing:
no query, no event (the task-write path is measured)."""

from types import SimpleNamespace

import pytest

from leopard.services import queue
from leopard.services.work import Work


class NoQuery:
    def __getattr__(self, name):
        raise AssertionError(f"a query ({name}) for a task in no queue")


def task(team=None, assignee=None, status="PENDING"):
    return SimpleNamespace(
        id=7, assigned_team=team, assigned_to=assignee, status=status
    )


OUT_OF_ANY_QUEUE = [
    task(),
    task(assignee=3),
    task(team=1, assignee=3),
    task(team=1, status="COMPLETED"),
]


@pytest.mark.parametrize("before", OUT_OF_ANY_QUEUE)
@pytest.mark.parametrize("after", OUT_OF_ANY_QUEUE)
async def test_a_task_in_no_queue_costs_no_query_and_tells_nobody(before, after):
    work = Work(NoQuery())
    assert await queue.queued_notices(work, None, after) == []
    assert await queue.queued_notices(work, None, after, before) == []
    await queue.unqueue(work, before, after, actor_id=1)
    await queue.deleted(work, before)
    assert work.messages == []


async def test_a_task_that_stays_in_its_queue_costs_no_query_either():
    work = Work(NoQuery())
    waiting = task(team=1)
    renamed = task(team=1)
    assert await queue.queued_notices(work, None, renamed, waiting) == []
    await queue.unqueue(work, waiting, renamed, actor_id=1)
    assert work.messages == []
