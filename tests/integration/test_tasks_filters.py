"""GET /api/v1/tasks/: every filter, every ordering, pages and bad queries."""

from datetime import UTC, datetime, timedelta

import pytest

from ..support.common import unique
from ..support.tasks import TASKS, get_json, make_application, make_client, make_task


def soon(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


async def ids(client, person, **params) -> list[int]:
    body = await get_json(client, TASKS, person, **params)
    assert body["count"] == len(body["results"])
    return [t["id"] for t in body["results"]]


async def test_assigned_to_takes_an_id_me_or_none(client, make_user):
    alice, bob = await make_user(), await make_user()
    tag = unique("tag")
    mine = await make_task(client, alice, tags=[tag], assigned_to=alice.id)
    bobs = await make_task(client, alice, tags=[tag], assigned_to=bob.id)
    nobodys = await make_task(client, alice, tags=[tag])
    assert await ids(client, alice, tag=tag, assigned_to="me") == [mine["id"]]
    assert await ids(client, alice, tag=tag, assigned_to=bob.id) == [bobs["id"]]
    assert await ids(client, bob, tag=tag, assigned_to="me") == [bobs["id"]]
    assert await ids(client, alice, tag=tag, assigned_to="none") == [nobodys["id"]]


async def test_created_by_filters_by_creator(client, make_user):
    alice, bob = await make_user(), await make_user()
    tag = unique("tag")
    by_alice = await make_task(client, alice, tags=[tag])
    by_bob = await make_task(client, bob, tags=[tag])
    assert await ids(client, bob, tag=tag, created_by=alice.id) == [by_alice["id"]]
    assert await ids(client, bob, tag=tag, created_by="me") == [by_bob["id"]]


async def test_status_and_priority_take_comma_separated_lists(client, make_user):
    alice = await make_user()
    tag = unique("tag")
    made = {
        (status, priority): (
            await make_task(client, alice, tags=[tag], status=status, priority=priority)
        )["id"]
        for status, priority in [
            ("PENDING", "LOW"),
            ("IN_PROGRESS", "HIGH"),
            ("COMPLETED", "URGENT"),
            ("CANCELLED", "MEDIUM"),
        ]
    }
    found = await ids(client, alice, tag=tag, status="PENDING,IN_PROGRESS")
    assert set(found) == {made["PENDING", "LOW"], made["IN_PROGRESS", "HIGH"]}
    found = await ids(client, alice, tag=tag, priority="URGENT, MEDIUM")
    assert set(found) == {made["COMPLETED", "URGENT"], made["CANCELLED", "MEDIUM"]}
    found = await ids(client, alice, tag=tag, status="PENDING", priority="HIGH")
    assert found == []


async def test_tag_matches_one_of_the_tags_exactly(client, make_user):
    alice = await make_user()
    tag, other = unique("tag"), unique("tag")
    both = await make_task(client, alice, tags=[tag, other])
    one = await make_task(client, alice, tags=[other])
    assert await ids(client, alice, tag=tag) == [both["id"]]
    assert await ids(client, alice, tag=other) == [one["id"], both["id"]]
    assert await ids(client, alice, tag=tag.upper()) == []


async def test_client_id_and_visa_application_id_filter(client, make_user, engine):
    alice = await make_user()
    tag = unique("tag")
    first, second = await make_client(engine), await make_client(engine)
    application = await make_application(engine, first)
    about_first = await make_task(client, alice, tags=[tag], client_id=first)
    about_app = await make_task(
        client, alice, tags=[tag], visa_application_id=application
    )
    about_second = await make_task(client, alice, tags=[tag], client_id=second)
    assert await ids(client, alice, tag=tag, client_id=first) == [
        about_app["id"],
        about_first["id"],
    ]
    assert await ids(client, alice, client_id=second) == [about_second["id"]]
    assert await ids(client, alice, visa_application_id=application) == [
        about_app["id"]
    ]


async def test_due_before_and_due_after_compare_instants(client, make_user):
    alice = await make_user()
    tag = unique("tag")
    early = await make_task(client, alice, tags=[tag], due_date="2030-01-01T10:00:00Z")
    late = await make_task(
        client, alice, tags=[tag], due_date="2030-01-01T12:00:00+01:00"
    )
    await make_task(client, alice, tags=[tag])  # no due date: matches neither
    # 11:00 UTC: after `early` (10:00 UTC), before `late` (11:00 UTC) is not.
    middle = "2030-01-01T11:00:00+00:00"
    assert await ids(client, alice, tag=tag, due_before=middle) == [early["id"]]
    assert await ids(client, alice, tag=tag, due_after="2030-01-01T10:30:00Z") == [
        late["id"]
    ]
    between = await ids(
        client,
        alice,
        tag=tag,
        due_after="2030-01-01T09:00:00-00:00",
        due_before="2030-01-01T13:00:00+02:00",
    )
    assert between == [early["id"]]


async def test_an_offset_whose_plus_became_a_space_is_still_understood(
    client, make_user
):
    alice = await make_user()
    tag = unique("tag")
    task = await make_task(client, alice, tags=[tag], due_date="2030-01-01T10:00:00Z")
    resp = await client.get(
        f"{TASKS}?tag={tag}&due_before=2030-01-01T12:30:00+02:00",
        headers=alice.headers,
    )
    assert [t["id"] for t in (await resp.json())["results"]] == [task["id"]]


async def test_overdue_means_past_due_and_not_done(client, make_user):
    alice = await make_user()
    tag = unique("tag")
    overdue = await make_task(client, alice, tags=[tag], due_date=soon(-1))
    await make_task(client, alice, tags=[tag], due_date=soon(-1), status="COMPLETED")
    await make_task(client, alice, tags=[tag], due_date=soon(-1), status="CANCELLED")
    upcoming = await make_task(client, alice, tags=[tag], due_date=soon(1))
    undated = await make_task(client, alice, tags=[tag])
    assert await ids(client, alice, tag=tag, overdue="true") == [overdue["id"]]
    not_overdue = await ids(client, alice, tag=tag, overdue="false")
    assert overdue["id"] not in not_overdue
    assert {upcoming["id"], undated["id"]} <= set(not_overdue)
    assert len(not_overdue) == 4


async def test_q_finds_text_in_the_title_or_detail_whatever_its_case(client, make_user):
    alice = await make_user()
    word = unique("Word")
    in_title = await make_task(client, alice, title=f"Call about {word}")
    in_detail = await make_task(client, alice, detail=f"ask for {word.upper()}!")
    assert await ids(client, alice, q=word.lower()) == [in_detail["id"], in_title["id"]]


async def test_q_takes_percent_and_underscore_literally(client, make_user):
    alice = await make_user()
    word = unique("pct")
    literal = await make_task(client, alice, title=f"{word} 100% _done_")
    await make_task(client, alice, title=f"{word} 100 percent xdonex")
    assert await ids(client, alice, q=f"{word} 100%") == [literal["id"]]
    assert await ids(client, alice, q="% _done_") == [literal["id"]]
    assert await ids(client, alice, q=f"{word} 100\\") == []


@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("due_date", ["d1", "d2", "d3", "none"]),
        ("-due_date", ["d3", "d2", "d1", "none"]),
        ("priority", ["low", "medium", "high", "urgent"]),
        ("-priority", ["urgent", "high", "medium", "low"]),
        ("created_at", ["d2", "d3", "d1", "none"]),
        ("-created_at", ["none", "d1", "d3", "d2"]),
    ],
)
async def test_each_ordering_sorts_as_documented(client, make_user, ordering, expected):
    alice = await make_user()
    tag = unique("tag")
    # Created in this order: d2 (LOW), d3 (URGENT), d1 (HIGH), none (MEDIUM).
    made = {}
    for name, due, priority in [
        ("d2", "2030-02-01T00:00:00Z", "LOW"),
        ("d3", "2030-03-01T00:00:00Z", "URGENT"),
        ("d1", "2030-01-01T00:00:00Z", "HIGH"),
        ("none", None, "MEDIUM"),
    ]:
        task = await make_task(
            client, alice, tags=[tag], due_date=due, priority=priority
        )
        made[name] = made[priority.lower()] = task["id"]
    found = await ids(client, alice, tag=tag, ordering=ordering)
    assert found == [made[name] for name in expected]


async def test_the_default_ordering_is_newest_first(client, make_user):
    alice = await make_user()
    tag = unique("tag")
    made = [(await make_task(client, alice, tags=[tag]))["id"] for _ in range(3)]
    assert await ids(client, alice, tag=tag) == made[::-1]


async def test_ties_are_broken_by_id(client, make_user):
    alice = await make_user()
    tag = unique("tag")
    made = [
        (await make_task(client, alice, tags=[tag], priority="HIGH"))["id"]
        for _ in range(3)
    ]
    assert await ids(client, alice, tag=tag, ordering="priority") == made
    assert await ids(client, alice, tag=tag, ordering="-priority") == made[::-1]


async def test_limit_and_offset_page_the_list_and_count_counts_all(client, make_user):
    alice = await make_user()
    tag = unique("tag")
    made = [(await make_task(client, alice, tags=[tag]))["id"] for _ in range(5)]
    page = await get_json(
        client, TASKS, alice, tag=tag, ordering="created_at", limit=2, offset=2
    )
    assert [t["id"] for t in page["results"]] == made[2:4]
    assert page["count"] == 5


@pytest.mark.parametrize(
    "params",
    [
        {"status": "DONE"},
        {"status": ","},
        {"priority": "LOW,CRITICAL"},
        {"ordering": "title"},
        {"assigned_to": "someone"},
        {"assigned_to": "0"},
        {"created_by": "99999999999999999999"},
        {"client_id": "abc"},
        {"due_before": "2030-01-01T10:00:00"},
        {"due_after": "tomorrow"},
        {"overdue": "maybe"},
        {"limit": "0"},
        {"offset": "-1"},
        {"q": ""},
    ],
)
async def test_a_bad_query_value_answers_400_naming_it(client, make_user, params):
    alice = await make_user()
    resp = await client.get(TASKS, params=params, headers=alice.headers)
    assert resp.status == 400
    error = (await resp.json())["error"]
    assert error["code"] == "bad_query"
    assert set(error["fields"]) == set(params)
