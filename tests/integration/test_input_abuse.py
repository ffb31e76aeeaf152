"""Hostile and careless input: a clear JSON error and no change, or the value
stored and returned exactly as sent."""

import pytest

pytestmark = pytest.mark.hardening

NASTY = (
    '\'; DROP TABLE tasks; -- <script>alert("x")</script> %_\\ \u00e9\u4e2d\U0001f600'
)


async def raw(client, method, path, body: bytes, headers):
    return await client.request(
        method, path, data=body, headers={**headers, "Content-Type": "application/json"}
    )


async def test_deeply_nested_json_answers_400(client, make_user):
    alice = await make_user()
    body = b"[" * 200_000 + b"]" * 200_000
    resp = await raw(client, "POST", "/api/v1/tasks/", body, alice.headers)
    assert resp.status == 400
    assert "nested too deeply" in (await resp.json())["error"]["message"]


async def test_sql_and_html_metacharacters_are_stored_and_returned_verbatim(
    client, make_user
):
    alice = await make_user()
    resp = await client.post(
        "/api/v1/tasks/",
        json={"title": NASTY, "detail": NASTY, "tags": [NASTY[:50]]},
        headers=alice.headers,
    )
    assert resp.status == 201, await resp.text()
    task = await resp.json()
    assert (task["title"], task["detail"], task["tags"]) == (NASTY, NASTY, [NASTY[:50]])
    again = await (
        await client.get(f"/api/v1/tasks/{task['id']}/", headers=alice.headers)
    ).json()
    assert again["title"] == NASTY
    found = await client.get(
        "/api/v1/tasks/", params={"q": "DROP TABLE tasks; --"}, headers=alice.headers
    )
    assert task["id"] in [t["id"] for t in (await found.json())["results"]]
    resp = await client.post(
        f"/api/v1/tasks/{task['id']}/comments/",
        json={"body": NASTY},
        headers=alice.headers,
    )
    assert (await resp.json())["body"] == NASTY


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/notifications/?limit=10000000000000",
        "/api/v1/notifications/?offset=9223372036854775807",
        "/api/v1/tasks/?limit=99999999999&offset=99999999999",
        "/api/v1/users/?limit=5000",
    ],
)
async def test_enormous_limits_and_offsets_are_bounded_not_errors(
    client, make_user, path
):
    alice = await make_user()
    resp = await client.get(path, headers=alice.headers)
    assert resp.status == 200, await resp.text()
    assert len((await resp.json())["results"]) <= 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/notifications/?offset=99999999999999999999999",
        "/api/v1/notifications/?before_id=99999999999999999999999",
        "/api/v1/notifications/stream/?last_event_id=99999999999999999999999",
    ],
)
async def test_numbers_beyond_any_id_are_a_400(client, make_user, path):
    alice = await make_user()
    assert (await client.get(path, headers=alice.headers)).status == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/notifications/99999999999999999999999/",
        "/api/v1/tasks/99999999999999999999999/",
        "/api/v1/clients/99999999999999999999999/",
        "/api/v1/visa-applications/99999999999999999999999/",
    ],
)
async def test_ids_beyond_bigint_in_a_path_are_404(client, make_user, path):
    alice = await make_user()
    resp = await client.get(path, headers=alice.headers)
    assert resp.status == 404
    assert (await resp.json())["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/v1/tasks/", {"title": 42}, "title"),
        ("/api/v1/tasks/", {"title": "x", "priority": ["HIGH"]}, "priority"),
        ("/api/v1/tasks/", {"title": "x", "assigned_to": "1"}, "assigned_to"),
        ("/api/v1/tasks/", {"title": "x", "tags": "a,b"}, "tags"),
        ("/api/v1/tasks/", {"title": "x", "is_admin": True}, "is_admin"),
        ("/api/v1/notifications/bulk/", {"action": "delete", "ids": [True]}, "ids"),
        ("/api/v1/notifications/bulk/", {"action": "delete", "ids": [2**70]}, "ids"),
        ("/api/v1/clients/", {"first_name": None, "last_name": "x"}, "first_name"),
    ],
)
async def test_wrong_types_and_unknown_fields_are_422_and_create_nothing(
    client, make_user, path, body, field
):
    alice = await make_user()
    resp = await client.post(path, json=body, headers=alice.headers)
    assert resp.status == 422, await resp.text()
    assert field in (await resp.json())["error"]["fields"]
    mine = await client.get("/api/v1/tasks/?created_by=me", headers=alice.headers)
    assert (await mine.json())["count"] == 0


async def test_a_bulk_call_is_bounded_at_1000_ids(client, make_user):
    alice = await make_user()
    ok = await client.post(
        "/api/v1/notifications/bulk/",
        json={"action": "mark_read", "ids": list(range(1, 1001))},
        headers=alice.headers,
    )
    assert ok.status == 200
    too_many = await client.post(
        "/api/v1/notifications/bulk/",
        json={"action": "mark_read", "ids": list(range(1, 1002))},
        headers=alice.headers,
    )
    assert too_many.status == 422


async def test_a_huge_array_body_under_the_size_limit_is_refused_quickly(
    client, make_user
):
    alice = await make_user()
    body = b'{"action": "delete", "ids": [' + b",".join([b"1"] * 300_000) + b"]}"
    resp = await raw(client, "POST", "/api/v1/notifications/bulk/", body, alice.headers)
    assert resp.status == 422


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
async def test_json_numbers_that_are_not_finite_are_a_400_and_send_nothing(
    client, make_user, constant
):
    """Python reads NaN and Infinity (and 1e400 as inf); PostgreSQL's jsonb
    does not, so they were a 500 after the transaction had begun."""
    admin, bob = await make_user("admin"), await make_user()
    body = b'{"recipients": [%d], "title": "t", "meta_info": {"x": %s}}' % (
        bob.id,
        constant,
    )
    resp = await raw(client, "POST", "/api/v1/notifications/", body, admin.headers)
    assert resp.status == 400, await resp.text()
    error = (await resp.json())["error"]
    assert error["code"] == "bad_request"
    assert error["message"] == (
        f"the body is not valid JSON: {constant.decode()} is not a finite number"
    )
    inbox = await client.get("/api/v1/notifications/", headers=bob.headers)
    assert (await inbox.json())["count"] == 0
