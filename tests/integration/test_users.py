from leopard.auth.passwords import check_password

from ..support.common import unique


async def test_me_returns_the_caller_without_secrets(client, make_user):
    alice = await make_user(full_name="Alice A", email="alice@example.com")
    resp = await client.get("/api/v1/users/me/", headers=alice.headers)
    assert await resp.json() == {
        "id": alice.id,
        "username": alice.username,
        "full_name": "Alice A",
        "email": "alice@example.com",
        "role": "staff",
        "is_active": True,
    }


async def test_the_user_list_shows_active_users_only(client, make_user, engine):
    alice, bob = await make_user(), await make_user()
    await client.patch(
        f"/api/v1/users/{bob.id}/",
        json={"is_active": False},
        headers=(await make_user("admin")).headers,
    )
    first = await client.get("/api/v1/users/?limit=1", headers=alice.headers)
    # By id, so the newest (alice) is on the last page once the suite has made
    # more than a page of users.
    offset = max(0, (await first.json())["count"] - 200)
    resp = await client.get(
        f"/api/v1/users/?limit=200&offset={offset}", headers=alice.headers
    )
    body = await resp.json()
    names = {u["username"] for u in body["results"]}
    assert alice.username in names and bob.username not in names
    assert body["count"] >= len(body["results"]) >= 1
    assert all(u["is_active"] for u in body["results"])
    assert all("password_hash" not in u for u in body["results"])


async def test_the_user_list_pages_with_limit_and_offset(client, make_user):
    alice = await make_user()
    for _ in range(2):
        await make_user()
    first = await (
        await client.get("/api/v1/users/?limit=2", headers=alice.headers)
    ).json()
    second = await (
        await client.get("/api/v1/users/?limit=2&offset=2", headers=alice.headers)
    ).json()
    assert len(first["results"]) == 2
    assert first["count"] == second["count"] >= 3
    assert not {u["id"] for u in first["results"]} & {
        u["id"] for u in second["results"]
    }


async def test_an_admin_creates_a_user_who_can_then_sign_in(client, make_user, engine):
    admin = await make_user("admin")
    name = unique("carol")
    resp = await client.post(
        "/api/v1/users/",
        json={"username": name, "password": "long-enough", "email": "c@example.com"},
        headers=admin.headers,
    )
    assert resp.status == 201
    body = await resp.json()
    assert body["username"] == name and body["role"] == "staff"
    async with engine.acquire() as conn:
        stored = await conn.scalar(
            "SELECT password_hash FROM users WHERE id = %s", (body["id"],)
        )
    assert stored.startswith("scrypt$") and "long-enough" not in stored
    assert check_password("long-enough", stored)
    token = await client.post(
        "/api/v1/auth/token/", json={"username": name, "password": "long-enough"}
    )
    assert token.status == 200


async def test_staff_cannot_create_or_change_users(client, make_user):
    staff = await make_user()
    resp = await client.post(
        "/api/v1/users/",
        json={"username": unique(), "password": "long-enough"},
        headers=staff.headers,
    )
    assert resp.status == 403
    assert (await resp.json())["error"]["code"] == "forbidden"
    resp = await client.patch(
        f"/api/v1/users/{staff.id}/", json={"role": "admin"}, headers=staff.headers
    )
    assert resp.status == 403
    me = await (await client.get("/api/v1/users/me/", headers=staff.headers)).json()
    assert me["role"] == "staff"


async def test_a_taken_username_answers_409_whatever_its_case(client, make_user):
    admin = await make_user("admin")
    resp = await client.post(
        "/api/v1/users/",
        json={"username": admin.username.upper(), "password": "long-enough"},
        headers=admin.headers,
    )
    assert resp.status == 409
    assert (await resp.json())["error"]["code"] == "conflict"


async def test_invalid_user_fields_answer_422_with_each_field(client, make_user):
    admin = await make_user("admin")
    resp = await client.post(
        "/api/v1/users/",
        json={"username": "no spaces!", "password": "short", "role": "boss", "x": 1},
        headers=admin.headers,
    )
    assert resp.status == 422
    error = (await resp.json())["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"username", "password", "role", "x"}


async def test_missing_required_fields_answer_422(client, make_user):
    admin = await make_user("admin")
    resp = await client.post("/api/v1/users/", json={}, headers=admin.headers)
    assert resp.status == 422
    assert set((await resp.json())["error"]["fields"]) == {"username", "password"}


async def test_an_admin_changes_a_user(client, make_user):
    admin, bob = await make_user("admin"), await make_user()
    resp = await client.patch(
        f"/api/v1/users/{bob.id}/",
        json={"full_name": "Bob B", "role": "admin", "password": "new-password"},
        headers=admin.headers,
    )
    assert resp.status == 200
    body = await resp.json()
    assert (body["full_name"], body["role"]) == ("Bob B", "admin")
    token = await client.post(
        "/api/v1/auth/token/",
        json={"username": bob.username, "password": "new-password"},
    )
    assert token.status == 200


async def test_changing_an_absent_user_answers_404(client, make_user):
    admin = await make_user("admin")
    resp = await client.patch(
        "/api/v1/users/999999999/", json={"full_name": "x"}, headers=admin.headers
    )
    assert resp.status == 404
