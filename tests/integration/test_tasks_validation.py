"""Bodies that cannot be accepted answer 422 naming each field."""

import pytest

from ..support.tasks import (
    TASKS,
    get_json,
    make_application,
    make_client,
    make_task,
    send,
)


async def fields_of(client, method, path, person, body) -> set[str]:
    error = (await send(client, method, path, person, body, expect=422))["error"]
    assert error["code"] == "validation_error"
    return set(error["fields"])


@pytest.mark.parametrize(
    "body, fields",
    [
        ({}, {"title"}),
        ({"title": ""}, {"title"}),
        ({"title": "   "}, {"title"}),
        ({"title": "x" * 201}, {"title"}),
        ({"title": None}, {"title"}),
        ({"title": "ok", "priority": "CRITICAL"}, {"priority"}),
        ({"title": "ok", "status": "DONE"}, {"status"}),
        ({"title": "ok", "tags": "visa"}, {"tags"}),
        ({"title": "ok", "tags": [""]}, {"tags"}),
        ({"title": "ok", "tags": ["x" * 51]}, {"tags"}),
        ({"title": "ok", "tags": [str(i) for i in range(21)]}, {"tags"}),
        ({"title": "ok", "tags": [1]}, {"tags"}),
        ({"title": "ok", "due_date": "2030-01-01T10:00:00"}, {"due_date"}),
        ({"title": "ok", "due_date": "next week"}, {"due_date"}),
        ({"title": "ok", "assigned_to": "1"}, {"assigned_to"}),
        ({"title": "ok", "client_id": True}, {"client_id"}),
        ({"title": "ok", "detail": "x" * 10_001}, {"detail"}),
        ({"title": "ok", "created_by": 1}, {"created_by"}),
        ({"title": "ok", "completed_at": None}, {"completed_at"}),
        ({"title": 5, "priority": "x", "nope": 1}, {"title", "priority", "nope"}),
    ],
)
async def test_an_invalid_new_task_answers_422_naming_each_field(
    client, make_user, body, fields
):
    alice = await make_user()
    assert await fields_of(client, "POST", TASKS, alice, body) == fields


async def test_the_longest_title_and_twenty_tags_are_accepted(client, make_user):
    alice = await make_user()
    tags = [f"{i:02}" + "x" * 48 for i in range(20)]
    task = await make_task(client, alice, title="t" * 200, tags=tags)
    assert (len(task["title"]), task["tags"]) == (200, tags)


async def test_an_unknown_or_inactive_assignee_answers_422(client, make_user):
    alice, admin, gone = await make_user(), await make_user("admin"), await make_user()
    await send(
        client, "PATCH", f"/api/v1/users/{gone.id}/", admin, {"is_active": False}
    )
    for assignee in (999_999_999, gone.id):
        error = await send(
            client, "POST", TASKS, alice, {"title": "x", "assigned_to": assignee}, 422
        )
        assert error["error"]["fields"] == {
            "assigned_to": [f"no active user with id {assignee}"]
        }
    task = await make_task(client, alice)
    path = f"{TASKS}{task['id']}/"
    body = {"assigned_to": gone.id}
    assert await fields_of(client, "POST", f"{path}assign/", alice, body) == {
        "assigned_to"
    }
    assert await fields_of(client, "PATCH", path, alice, body) == {"assigned_to"}
    assert await fields_of(client, "POST", f"{path}assign/", alice, {}) == {
        "assigned_to"
    }


async def test_an_absent_client_or_visa_application_answers_422(client, make_user):
    alice = await make_user()
    body = {"title": "x", "client_id": 999_999_999, "visa_application_id": 999_999_999}
    error = (await send(client, "POST", TASKS, alice, body, expect=422))["error"]
    assert error["fields"] == {
        "client_id": ["no client with id 999999999"],
        "visa_application_id": ["no visa application with id 999999999"],
    }


async def test_a_visa_application_of_another_client_answers_422(
    client, make_user, engine
):
    alice = await make_user()
    mine, other = await make_client(engine), await make_client(engine)
    application = await make_application(engine, other)
    body = {"title": "x", "client_id": mine, "visa_application_id": application}
    assert await fields_of(client, "POST", TASKS, alice, body) == {
        "visa_application_id"
    }
    task = await make_task(client, alice, client_id=mine)
    path = f"{TASKS}{task['id']}/"
    body = {"visa_application_id": application}
    assert await fields_of(client, "PATCH", path, alice, body) == {
        "visa_application_id"
    }
    assert (await get_json(client, path, alice))["visa_application_id"] is None


async def test_a_visa_application_brings_its_client_and_keeps_it(
    client, make_user, engine
):
    alice = await make_user()
    owner, other = await make_client(engine), await make_client(engine)
    application = await make_application(engine, owner)
    task = await make_task(client, alice, visa_application_id=application)
    assert (task["client_id"], task["visa_application_id"]) == (owner, application)
    path = f"{TASKS}{task['id']}/"
    body = {"client_id": other}
    assert await fields_of(client, "PATCH", path, alice, body) == {
        "visa_application_id"
    }
    body = {"client_id": None}
    assert await fields_of(client, "PATCH", path, alice, body) == {"client_id"}
    moved = await send(
        client,
        "PATCH",
        path,
        alice,
        {"client_id": other, "visa_application_id": None},
    )
    assert (moved["client_id"], moved["visa_application_id"]) == (other, None)


@pytest.mark.parametrize(
    "body, fields",
    [
        ({"title": ""}, {"title"}),
        ({"status": None}, {"status"}),
        ({"tags": None}, {"tags"}),
        ({"due_date": "2030-01-01"}, {"due_date"}),
        ({"id": 5}, {"id"}),
        ({"comment_count": 3}, {"comment_count"}),
    ],
)
async def test_an_invalid_change_answers_422_and_changes_nothing(
    client, make_user, body, fields
):
    alice = await make_user()
    task = await make_task(client, alice)
    path = f"{TASKS}{task['id']}/"
    assert await fields_of(client, "PATCH", path, alice, body) == fields
    assert await get_json(client, path, alice) == task


@pytest.mark.parametrize(
    "body, fields",
    [
        ({}, {"body"}),
        ({"body": ""}, {"body"}),
        ({"body": " \n "}, {"body"}),
        ({"body": "x" * 10_001}, {"body"}),
        ({"body": "ok", "author_id": 1}, {"author_id"}),
    ],
)
async def test_an_invalid_comment_answers_422(client, make_user, body, fields):
    alice = await make_user()
    task = await make_task(client, alice)
    path = f"{TASKS}{task['id']}/comments/"
    assert await fields_of(client, "POST", path, alice, body) == fields
    assert (await get_json(client, path, alice))["count"] == 0


async def test_a_body_that_is_not_a_json_object_answers_400(client, make_user):
    alice = await make_user()
    resp = await client.post(
        TASKS,
        data=b"[1]",
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert resp.status == 400


async def test_a_refused_assignee_creates_nothing_and_other_bad_fields_are_named(
    client, make_user
):
    alice = await make_user()
    before = (await send(client, "GET", TASKS, alice))["count"]
    body = {"title": "x", "assigned_to": 999_999_999}
    await send(client, "POST", TASKS, alice, body, 422)
    body["client_id"] = 999_999_998
    error = (await send(client, "POST", TASKS, alice, body, 422))["error"]
    assert error["fields"] == {
        "assigned_to": ["no active user with id 999999999"],
        "client_id": ["no client with id 999999998"],
    }
    assert (await send(client, "GET", TASKS, alice))["count"] == before
