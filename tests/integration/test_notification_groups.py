"""Grouped notifications: `group` on every notification, `?grouped=true`, and
bulk actions on one group (and what the other tabs are told)."""

import pytest

from leopard.keys import BROKER, ENGINE
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.work import unit_of_work

from ..support.sse import SSE

N = "/api/v1/notifications/"


@pytest.fixture
def notify(client):
    """Notifications about what meta is given, through the service."""

    async def make(user, meta, count=1):
        items = [
            NewNotification(user.id, "TASK_UPDATED", f"n{i}", meta_info=meta)
            for i in range(count)
        ]
        async with unit_of_work(client.app[ENGINE], client.app[BROKER]) as work:
            rows = await create_notifications(work, items)
        return [r.id for r in rows]

    return make


async def listed(client, user, query="", status=200):
    resp = await client.get(f"{N}{query}", headers=user.headers)
    assert resp.status == status, await resp.text()
    return await resp.json()


async def bulk(client, user, body, status=200):
    resp = await client.post(f"{N}bulk/", json=body, headers=user.headers)
    assert resp.status == status, await resp.text()
    return await resp.json()


async def test_each_notification_names_what_it_is_about(client, make_user, notify):
    alice = await make_user()
    [task] = await notify(alice, {"task_id": 12, "client_id": 3})
    [visa] = await notify(alice, {"visa_application_id": 7, "client_id": 3})
    [plain] = await notify(alice, {})
    [odd] = await notify(alice, {"task_id": "12"})  # not an id: about nothing
    groups = {n["id"]: n["group"] for n in (await listed(client, alice))["results"]}
    assert groups == {
        task: "task:12",
        visa: "visa_application:7",
        plain: None,
        odd: None,
    }
    got = await listed(client, alice)
    one = await client.get(f"{N}{task}/", headers=alice.headers)
    assert (await one.json())["group"] == "task:12"
    assert got["count"] == 4


async def test_a_row_written_straight_into_the_table_gets_its_group_too(
    client, make_user, engine
):
    """Leopard's INSERTs write the group, and a trigger fills it in for a row
    written without it, so rows that come from elsewhere have it as well."""
    alice = await make_user()
    async with engine.acquire() as conn:
        group = await conn.scalar(
            "INSERT INTO notifications (assigned_to, notification_type, title,"
            " meta_info) VALUES (%s, 'SYSTEM', 'x', '{\"task_id\": 5}')"
            ' RETURNING "group"',
            (alice.id,),
        )
    assert group == "task:5"


async def test_the_stream_carries_the_group(client, make_user, notify):
    alice = await make_user()
    async with SSE.open(client, headers=alice.headers) as sse:
        await notify(alice, {"task_id": 44})
        [note] = await sse.notifications(1)
    assert note["group"] == "task:44"


async def test_grouped_lists_one_result_per_group_newest_first(
    client, make_user, notify
):
    alice, bob = await make_user(), await make_user()
    first = await notify(alice, {"task_id": 1}, 3)
    [alone] = await notify(alice, {})
    visa = await notify(alice, {"visa_application_id": 2}, 2)
    last = await notify(alice, {"task_id": 1}, 2)  # task 1 is the newest again
    await notify(bob, {"task_id": 1}, 4)  # another user's: never counted
    resp = await client.post(f"{N}{first[0]}/read/", headers=alice.headers)
    assert resp.status == 200

    body = await listed(client, alice, "?grouped=true")
    assert body["count"] == 3  # groups, not notifications
    assert body["unread_count"] == 7
    assert [(g["group"], g["count"], g["unread_count"]) for g in body["results"]] == [
        ("task:1", 5, 4),
        ("visa_application:2", 2, 2),
        (None, 1, 1),
    ]
    latest = [g["latest"]["id"] for g in body["results"]]
    assert latest == [last[-1], visa[-1], alone]
    assert body["results"][0]["latest"]["group"] == "task:1"
    assert set(body["results"][0]) == {"group", "latest", "count", "unread_count"}


async def test_grouped_pages_by_group_and_filters_first(client, make_user, notify):
    alice = await make_user()
    for task in range(1, 6):
        await notify(alice, {"task_id": task}, 2)
    page = await listed(client, alice, "?grouped=true&limit=2&offset=1")
    assert page["count"] == 5
    assert [g["group"] for g in page["results"]] == ["task:4", "task:3"]
    # Filters apply to the notifications, then they are grouped.
    await bulk(client, alice, {"action": "mark_read", "group": "task:5"})
    unread = await listed(client, alice, "?grouped=true&read=false")
    assert unread["count"] == 4
    assert [g["group"] for g in unread["results"]][0] == "task:4"


async def test_one_groups_notifications_are_listed_with_group(
    client, make_user, notify
):
    """What the inbox shows when a group row opens: that group's alone, newest
    first, with the other filters still applying."""
    alice, bob = await make_user(), await make_user()
    ids = await notify(alice, {"task_id": 21}, 3)
    await notify(alice, {"task_id": 22}, 2)
    await notify(alice, {})
    await notify(bob, {"task_id": 21})  # another user's: never listed
    await client.post(f"{N}{ids[0]}/read/", headers=alice.headers)
    body = await listed(client, alice, "?group=task:21")
    assert [n["id"] for n in body["results"]] == ids[::-1]
    assert body["count"] == 3
    assert body["unread_count"] == 5  # all the caller's unread, as always
    unread = await listed(client, alice, "?group=task:21&read=false")
    assert [n["id"] for n in unread["results"]] == ids[:0:-1]
    grouped = await listed(client, alice, "?group=task:21&grouped=true")
    assert [(g["group"], g["count"]) for g in grouped["results"]] == [("task:21", 3)]
    assert (await listed(client, alice, "?group=task:99"))["results"] == []


@pytest.mark.parametrize("group", ["client:1", "task:0", "task:1 OR 1=1", "task"])
async def test_a_bad_group_filter_is_a_bad_query(client, make_user, group):
    alice = await make_user()
    answer = await listed(client, alice, f"?group={group}", status=400)
    assert answer["error"]["code"] == "bad_query"
    assert "group" in answer["error"]["fields"]


async def test_a_group_is_marked_read_and_the_other_tabs_are_told(
    client, make_user, notify
):
    alice, bob = await make_user(), await make_user()
    ids = await notify(alice, {"task_id": 9}, 3)
    other = await notify(alice, {"task_id": 10})
    theirs = await notify(bob, {"task_id": 9})
    async with SSE.open(client, headers=alice.headers) as tab:
        answer = await bulk(client, alice, {"action": "mark_read", "group": "task:9"})
        assert answer == {"action": "mark_read", "affected": 3}
        told = await tab.until("read")
        assert told.json == {"ids": sorted(ids)}
        assert (await tab.until("unread_count")).json == {"unread_count": 1}
    state = {n["id"]: n["read"] for n in (await listed(client, alice))["results"]}
    assert state == {**dict.fromkeys(ids, True), other[0]: False}
    assert (await listed(client, bob))["results"][0]["id"] == theirs[0]
    assert (await listed(client, bob))["unread_count"] == 1
    # Again: nothing changes, nothing is counted.
    again = await bulk(client, alice, {"action": "mark_read", "group": "task:9"})
    assert again["affected"] == 0


async def test_a_group_is_deleted_and_marked_unread(client, make_user, notify):
    alice = await make_user()
    ids = await notify(alice, {"visa_application_id": 3}, 2)
    await bulk(client, alice, {"action": "mark_read", "group": "visa_application:3"})
    back = await bulk(
        client, alice, {"action": "mark_unread", "group": "visa_application:3"}
    )
    assert back["affected"] == 2
    gone = await bulk(
        client, alice, {"action": "delete", "group": "visa_application:3"}
    )
    assert gone["affected"] == 2
    left = {n["id"] for n in (await listed(client, alice))["results"]}
    assert not left & set(ids)


@pytest.mark.parametrize(
    "body",
    [
        {"action": "mark_read", "group": "task:1", "ids": [1]},
        {"action": "mark_read", "group": "task:1", "all": True},
        {"action": "mark_read", "group": "client:1"},
        {"action": "mark_read", "group": "task:0"},
        {"action": "mark_read", "group": "task:1 OR 1=1"},
        {"action": "mark_read", "group": 12},
        {"action": "mark_read"},
    ],
)
async def test_a_bad_group_request_is_refused_and_changes_nothing(
    client, make_user, notify, body
):
    alice = await make_user()
    await notify(alice, {"task_id": 1}, 2)
    answer = await bulk(client, alice, body, status=422)
    assert answer["error"]
    assert (await listed(client, alice))["unread_count"] == 2


async def test_grouped_must_be_a_boolean(client, make_user):
    alice = await make_user()
    answer = await listed(client, alice, "?grouped=maybe", status=400)
    assert "grouped" in str(answer)
