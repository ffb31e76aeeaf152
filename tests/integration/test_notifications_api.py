"""The notification REST routes: lists, filters, read state, bulk, admin create."""

import pytest

from leopard.keys import BROKER, ENGINE
from leopard.services import notifications
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.work import unit_of_work

N = "/api/v1/notifications/"


@pytest.fixture
def notify(client):
    """Create notifications for a user through the service, as other services do."""

    async def make(user, count=1, type_="SYSTEM", **fields):
        items = [
            NewNotification(
                user.id,
                type_,
                fields.get("title", f"note {i}"),
                **{k: v for k, v in fields.items() if k != "title"},
            )
            for i in range(count)
        ]
        async with unit_of_work(client.app[ENGINE], client.app[BROKER]) as work:
            rows = await create_notifications(work, items)
        return [r.id for r in rows]

    return make


async def get(client, user, path=N, status=200):
    resp = await client.get(path, headers=user.headers)
    assert resp.status == status, await resp.text()
    return await resp.json()


async def post(client, user, path, body=None, status=200):
    resp = await client.post(path, json=body, headers=user.headers)
    assert resp.status == status, await resp.text()
    return await resp.json() if resp.status != 204 else None


async def test_the_list_is_newest_first_with_counts(client, make_user, notify):
    alice = await make_user()
    ids = await notify(alice, 3)
    body = await get(client, alice)
    assert [n["id"] for n in body["results"]] == sorted(ids, reverse=True)
    assert body["count"] == 3 and body["unread_count"] == 3
    first = body["results"][0]
    assert set(first) == {
        "id",
        "notification_type",
        "assigned_to",
        "title",
        "message",
        "due_date",
        "meta_info",
        "read",
        "read_at",
        "delivered_at",
        "created_at",
        "emailed_at",
        "group",
    }
    assert first["assigned_to"] == alice.id and first["read"] is False
    assert first["created_at"].endswith("+00:00")


async def test_filters_narrow_count_but_not_unread_count(client, make_user, notify):
    alice = await make_user()
    system = await notify(alice, 2)
    [assigned] = await notify(alice, 1, "TASK_ASSIGNED")
    await post(client, alice, f"{N}{system[0]}/read/")

    unread = await get(client, alice, f"{N}?read=false")
    assert {n["id"] for n in unread["results"]} == {system[1], assigned}
    assert (unread["count"], unread["unread_count"]) == (2, 2)
    read = await get(client, alice, f"{N}?read=true")
    assert [n["id"] for n in read["results"]] == [system[0]]
    assert (read["count"], read["unread_count"]) == (1, 2)
    typed = await get(client, alice, f"{N}?type=TASK_ASSIGNED,TASK_COMMENT")
    assert [n["id"] for n in typed["results"]] == [assigned]
    before = await get(client, alice, f"{N}?before_id={assigned}")
    assert [n["id"] for n in before["results"]] == sorted(system, reverse=True)
    page = await get(client, alice, f"{N}?limit=1&offset=1")
    assert [n["id"] for n in page["results"]] == [system[1]]
    assert page["count"] == 3


@pytest.mark.parametrize(
    "query", ["type=NOPE", "read=maybe", "before_id=x", "limit=0", "offset=-5"]
)
async def test_a_bad_filter_answers_400(client, make_user, query):
    alice = await make_user()
    await get(client, alice, f"{N}?{query}", status=400)


async def test_the_unread_count_route(client, make_user, notify):
    alice = await make_user()
    await notify(alice, 4)
    assert await get(client, alice, f"{N}unread-count/") == {"unread_count": 4}


async def test_someone_elses_notification_is_404_everywhere(client, make_user, notify):
    alice, bob = await make_user(), await make_user()
    [nid] = await notify(alice)
    await get(client, bob, f"{N}{nid}/", status=404)
    await post(client, bob, f"{N}{nid}/read/", status=404)
    await post(client, bob, f"{N}{nid}/unread/", status=404)
    resp = await client.delete(f"{N}{nid}/", headers=bob.headers)
    assert resp.status == 404
    assert (await get(client, alice, f"{N}{nid}/"))["read"] is False
    assert (await get(client, bob))["count"] == 0


async def test_read_is_idempotent_and_keeps_the_first_read_at(
    client, make_user, notify
):
    alice = await make_user()
    [nid] = await notify(alice)
    first = await post(client, alice, f"{N}{nid}/read/")
    assert first["read"] is True and first["read_at"]
    again = await post(client, alice, f"{N}{nid}/read/")
    assert again["read_at"] == first["read_at"]
    unread = await post(client, alice, f"{N}{nid}/unread/")
    assert unread["read"] is False and unread["read_at"] is None
    later = await post(client, alice, f"{N}{nid}/read/")
    assert later["read_at"] > first["read_at"]


async def test_delete_answers_204_and_then_404(client, make_user, notify):
    alice = await make_user()
    [nid] = await notify(alice)
    resp = await client.delete(f"{N}{nid}/", headers=alice.headers)
    assert resp.status == 204
    await get(client, alice, f"{N}{nid}/", status=404)
    assert (await client.delete(f"{N}{nid}/", headers=alice.headers)).status == 404


async def test_bulk_counts_only_state_changes_and_ignores_others_ids(
    client, make_user, notify
):
    alice, bob = await make_user(), await make_user()
    mine = await notify(alice, 3)
    [theirs] = await notify(bob)
    await post(client, alice, f"{N}{mine[0]}/read/")
    body = await post(
        client, alice, f"{N}bulk/", {"action": "mark_read", "ids": [*mine, theirs]}
    )
    assert body == {"action": "mark_read", "affected": 2}
    assert (await get(client, bob, f"{N}{theirs}/"))["read"] is False
    body = await post(
        client, alice, f"{N}bulk/", {"action": "mark_unread", "all": True}
    )
    assert body == {"action": "mark_unread", "affected": 3}
    body = await post(client, alice, f"{N}bulk/", {"action": "delete", "ids": mine[:2]})
    assert body == {"action": "delete", "affected": 2}
    assert [n["id"] for n in (await get(client, alice))["results"]] == [mine[2]]
    body = await post(client, alice, f"{N}bulk/", {"action": "delete", "all": True})
    assert body["affected"] == 1
    assert (await get(client, bob))["count"] == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"action": "mark_read"}, "ids"),
        ({"action": "mark_read", "ids": [1], "all": True}, "ids"),
        ({"action": "explode", "ids": [1]}, "action"),
        ({"action": "delete", "ids": list(range(1, 1002))}, "ids"),
        ({"action": "delete", "ids": ["1"]}, "ids"),
    ],
)
async def test_a_bad_bulk_request_answers_422(client, make_user, notify, body, field):
    alice = await make_user()
    await notify(alice)
    error = (await post(client, alice, f"{N}bulk/", body, status=422))["error"]
    assert field in error["fields"]
    assert (await get(client, alice))["unread_count"] == 1


async def test_an_admin_sends_to_chosen_recipients(client, make_user):
    admin, alice, bob = await make_user("admin"), await make_user(), await make_user()
    body = await post(
        client,
        admin,
        N,
        {
            "recipients": [alice.id, bob.id, alice.id],
            "title": "Office closed Friday",
            "message": "Public holiday",
            "due_date": "2026-12-04T09:00:00+01:00",
            "meta_info": {"link": "/calendar"},
        },
        status=201,
    )
    assert body["created"] == 2 and len(body["ids"]) == 2
    [note] = (await get(client, alice))["results"]
    assert note["notification_type"] == "SYSTEM"
    assert (note["title"], note["message"]) == (
        "Office closed Friday",
        "Public holiday",
    )
    assert note["due_date"] == "2026-12-04T08:00:00+00:00"
    assert note["meta_info"] == {"link": "/calendar"}
    assert (await get(client, admin))["count"] == 0


async def test_an_inactive_recipient_among_others_refuses_the_whole_send(
    client, make_user, engine, monkeypatch
):
    """The INSERT leaves out who is not an active user; one row fewer than
    asked is a 422 naming them, and nothing is created for the others. Who
    is active is asked only then: a send to active users is one query."""
    asked = []
    real = notifications.active_user_ids

    async def counted(conn, ids):
        asked.append(list(ids))
        return await real(conn, ids)

    monkeypatch.setattr(notifications, "active_user_ids", counted)
    admin, alice, bob = await make_user("admin"), await make_user(), await make_user()
    body = {"recipients": [bob.id, alice.id], "title": "For the active"}
    assert (await post(client, admin, N, body, status=201))["created"] == 2
    assert asked == []
    gone = await make_user()
    await client.patch(
        f"/api/v1/users/{gone.id}/", json={"is_active": False}, headers=admin.headers
    )
    for recipients, absent in (
        ([alice.id, gone.id, bob.id], [gone.id]),
        ([alice.id, 10**9], [10**9]),
        ([gone.id, 10**9], [gone.id, 10**9]),
        # Ids no integer lock key holds: still a 422, not a database error.
        ([alice.id, 2**40, 2**63 - 1], [2**40, 2**63 - 1]),
    ):
        body = {"recipients": recipients, "title": "Not for everyone"}
        error = (await post(client, admin, N, body, status=422))["error"]
        assert error["message"] == "unknown or inactive recipients"
        assert error["fields"] == {
            "recipients": [f"no active user with id {i}" for i in absent]
        }
    async with engine.acquire() as conn:
        made = await conn.scalar(
            "SELECT count(*) FROM notifications WHERE title = 'Not for everyone'"
        )
    assert made == 0
    assert asked == [
        sorted([alice.id, gone.id, bob.id]),
        [alice.id, 10**9],
        sorted([gone.id, 10**9]),
        [alice.id, 2**40, 2**63 - 1],
    ]
    assert [n["title"] for n in (await get(client, alice))["results"]] == [
        "For the active"
    ]


async def test_an_admin_sends_to_all_active_users(client, make_user, engine):
    admin, alice, gone = await make_user("admin"), await make_user(), await make_user()
    await client.patch(
        f"/api/v1/users/{gone.id}/", json={"is_active": False}, headers=admin.headers
    )
    async with engine.acquire() as conn:
        active = await conn.scalar("SELECT count(*) FROM users WHERE is_active")
    body = await post(
        client, admin, N, {"recipients": "all", "title": "Hello everyone"}, status=201
    )
    assert body["created"] == active == len(body["ids"])
    assert (await get(client, alice))["results"][0]["title"] == "Hello everyone"
    assert (await get(client, admin))["results"][0]["title"] == "Hello everyone"
    async with engine.acquire() as conn:
        got = await conn.scalar(
            "SELECT count(*) FROM notifications WHERE assigned_to = %s", (gone.id,)
        )
    assert got == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"recipients": [10**9], "title": "x"}, "recipients"),
        ({"recipients": [], "title": "x"}, "recipients"),
        ({"recipients": "everyone", "title": "x"}, "recipients"),
        ({"recipients": "all"}, "title"),
        ({"recipients": "all", "title": ""}, "title"),
        (
            {"recipients": "all", "title": "x", "notification_type": "NOPE"},
            "notification_type",
        ),
        (
            {"recipients": "all", "title": "x", "due_date": "2026-12-04T09:00"},
            "due_date",
        ),
        ({"recipients": "all", "title": "x", "meta_info": [1]}, "meta_info"),
        ({"recipients": "all", "title": "x", "colour": "red"}, "colour"),
    ],
)
async def test_a_bad_admin_notification_answers_422_and_creates_nothing(
    client, make_user, body, field
):
    admin = await make_user("admin")
    error = (await post(client, admin, N, body, status=422))["error"]
    assert field in error["fields"]
    assert (await get(client, admin))["count"] == 0


async def test_staff_cannot_send_notifications(client, make_user):
    alice = await make_user()
    await post(client, alice, N, {"recipients": "all", "title": "x"}, status=403)


async def test_a_rolled_back_transaction_leaves_no_notification(client, make_user):
    alice = await make_user()
    with pytest.raises(RuntimeError):
        async with unit_of_work(client.app[ENGINE], client.app[BROKER]) as work:
            await create_notifications(
                work, [NewNotification(alice.id, "SYSTEM", "never")]
            )
            raise RuntimeError("the rest of the use case failed")
    assert (await get(client, alice))["count"] == 0
