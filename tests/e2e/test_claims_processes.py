"""Claims across processes: two `python run.py` with LEOPARD_BROKER=postgres on
one database, eight members of a team each on a stream of either process. A
task is queued; all eight claim it at once, on both processes: exactly one
wins, seven are told who did, every member's stream (on either process) gets
`event: queue` as the task enters and leaves the queue, and the losers'
queued notices are read on their streams. Twenty rounds in a row."""

import asyncio
from types import SimpleNamespace

import aiohttp
import pytest

from leopard.store.db import open_engine

from ..support.processes import leopards
from ..support.sse import SSE

pytestmark = pytest.mark.e2e
ROUNDS = 20
MEMBERS = 8


class On:
    """An HTTP client of one process."""

    def __init__(self, session, port):
        self.session, self.base = session, f"http://127.0.0.1:{port}"

    def get(self, path, **kwargs):
        return self.session.get(self.base + path, **kwargs)

    def post(self, path, **kwargs):
        return self.session.post(self.base + path, **kwargs)


@pytest.fixture
def two_processes(tmp_path, data_dir, fresh_database):
    with (
        fresh_database() as url,
        leopards(
            2, tmp_path, data_dir, LEOPARD_DATABASE_URL=url, LEOPARD_BROKER="postgres"
        ) as started,
    ):
        yield url, started


async def post(on, path, person, body=None):
    async with on.post(path, json=body, headers=person.headers) as resp:
        return resp.status, await resp.json()


async def member(on, admin, name):
    password = f"{name}-password"
    status, body = await post(
        on, "/api/v1/users/", admin, {"username": name, "password": password}
    )
    assert status == 201, body
    async with on.post(
        "/api/v1/auth/token/", json={"username": name, "password": password}
    ) as resp:
        token = (await resp.json())["access_token"]
    return SimpleNamespace(
        id=body["id"], name=name, headers={"Authorization": f"Bearer {token}"}
    )


async def test_of_eight_members_claiming_at_once_on_two_processes_one_wins(
    two_processes,
):
    url, started = two_processes
    admin = SimpleNamespace(headers={"Authorization": f"Bearer {started[0].token()}"})
    async with aiohttp.ClientSession() as session, open_engine(url, maxsize=1) as db:
        on = [On(session, leopard.port) for leopard in started]
        people = [await member(on[i % 2], admin, f"m{i}") for i in range(MEMBERS)]
        status, team = await post(
            on[0],
            "/api/v1/teams/",
            admin,
            {"name": "Intake", "member_ids": [p.id for p in people]},
        )
        assert status == 201, team
        streams = [
            await SSE.open(on[i % 2], headers=p.headers).__aenter__()
            for i, p in enumerate(people)
        ]
        unread = [0] * MEMBERS
        wins = [0, 0]
        for round_ in range(ROUNDS):
            status, task = await post(
                on[round_ % 2],
                "/api/v1/tasks/",
                admin,
                {"title": f"round {round_}", "assigned_team": team["id"]},
            )
            assert status == 201, task
            entered = {"task_id": task["id"], "team_id": team["id"], "queued": True}
            left = {**entered, "queued": False}
            said = [(await s.until("queue")).json for s in streams]
            assert said == [entered] * MEMBERS
            queued = [(await s.until("notification")).json for s in streams]
            assert {
                (n["notification_type"], n["meta_info"]["task_id"]) for n in queued
            } == {("TASK_QUEUED", task["id"])}
            unread = [count + 1 for count in unread]
            claim = f"/api/v1/tasks/{task['id']}/claim/"
            answers = await asyncio.gather(
                *(post(on[(i + round_) % 2], claim, p) for i, p in enumerate(people))
            )
            statuses = [status for status, _ in answers]
            assert sorted(statuses) == [200] + [409] * (MEMBERS - 1), answers
            won = statuses.index(200)
            wins[(won + round_) % 2] += 1
            winner = people[won]
            assert answers[won][1]["assigned_to"] == winner.id
            # Out of the queue for everyone, the winner's other tabs too.
            assert [(await s.next()).json for s in streams] == [left] * MEMBERS
            for i, (_, body) in enumerate(answers):
                if i == won:
                    continue
                assert body["error"]["code"] == "already_claimed"
                assert winner.name in body["error"]["message"]
                read = await streams[i].until("read")
                assert read.json == {"ids": [queued[i]["id"]]}
                unread[i] -= 1
                count = await streams[i].next()
                assert (count.event, count.json) == (
                    "unread_count",
                    {"unread_count": unread[i]},
                )
            async with db.acquire() as conn:
                holder = await conn.scalar(
                    "SELECT assigned_to FROM tasks WHERE id = %s", (task["id"],)
                )
            assert holder == winner.id
        # The winner's own notice stays unread: nothing else came on its stream.
        for stream in streams:
            await stream.nothing(0.2)
            stream.resp.close()
    # Each process won some claims and lost others: the race was across them.
    assert all(wins), wins
