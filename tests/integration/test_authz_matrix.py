"""Every route × every kind of bad caller: the contract's status, and nothing
changes in the database."""

import time

import jwt
import pytest

from leopard.routes import API, ID

pytestmark = pytest.mark.hardening

SECRET = "test-secret-" + "x" * 32
TABLES = (
    "users",
    "notifications",
    "tasks",
    "task_comments",
    "clients",
    "visa_applications",
    "refresh_sessions",
    "login_failures",
)


def _forge(claims, key=SECRET, algorithm="HS256"):
    return jwt.encode(claims, key, algorithm=algorithm)


def bad_tokens(user_id):
    soon = int(time.time()) + 600
    return {
        "no token": None,
        "expired": _forge({"sub": str(user_id), "exp": int(time.time()) - 10}),
        "wrong signature": _forge({"sub": str(user_id), "exp": soon}, key="x" * 40),
        "alg none": _forge(
            {"sub": str(user_id), "exp": soon}, key=None, algorithm="none"
        ),
    }


@pytest.fixture
async def world(client, make_user):
    """An admin, a staff member, a deactivated user, and one of each resource,
    owned by the admin."""
    admin, staff, gone = (
        await make_user("admin"),
        await make_user(),
        await make_user(),
    )
    h = admin.headers

    async def post(path, body):
        resp = await client.post(path, json=body, headers=h)
        assert resp.status == 201, await resp.text()
        return await resp.json()

    ids = {
        "notification": (
            await post(
                "/api/v1/notifications/", {"recipients": [admin.id], "title": "x"}
            )
        )["ids"][0],
        "task": (await post("/api/v1/tasks/", {"title": "admin's task"}))["id"],
    }
    ids["client"] = (
        await post("/api/v1/clients/", {"first_name": "Ana", "last_name": "Lee"})
    )["id"]
    ids["visa"] = (
        await post(
            "/api/v1/visa-applications/",
            {"client_id": ids["client"], "visa_type": "482"},
        )
    )["id"]
    await client.patch(
        f"/api/v1/users/{gone.id}/", json={"is_active": False}, headers=h
    )
    return {"admin": admin, "staff": staff, "gone": gone, "ids": ids}


def concrete(name, path, world):
    kind = (
        "notification"
        if name.startswith("notifications")
        else "task"
        if name.startswith("task")
        else "client"
        if name.startswith("clients")
        else "visa"
        if name.startswith("visa")
        else "user"
    )
    the_id = world["staff"].id if kind == "user" else world["ids"][kind]
    return path.replace(ID, str(the_id))


BODIES = {
    "users-create": {"username": "mallory", "password": "long-enough"},
    "users-update": {"role": "admin"},
    "users-me-password": {"current_password": "guess", "new_password": "pwned-pwned"},
    "notifications-create": {"recipients": "all", "title": "spam"},
    "notifications-bulk": {"action": "delete", "all": True},
    "tasks-create": {"title": "t"},
    "tasks-update": {"title": "changed"},
    "tasks-assign": {"assigned_to": None},
    "task-comments-create": {"body": "hi"},
    "clients-create": {"first_name": "A", "last_name": "B"},
    "clients-update": {"first_name": "Changed"},
    "visa-applications-create": {"client_id": 1, "visa_type": "x"},
    "visa-applications-update": {"status": "GRANTED"},
}


async def snapshot(engine):
    state = {}
    async with engine.acquire() as conn:
        for table in TABLES:
            state[table] = await conn.scalar(
                f"SELECT md5(string_agg(t::text, ',' ORDER BY t.id)) FROM {table} t"
            )
    return state


async def call(client, method, path, name, headers):
    return await client.request(method, path, json=BODIES.get(name), headers=headers)


PROTECTED = [r for r in API if getattr(r[2], "auth", "bearer") != "public"]


@pytest.mark.parametrize(
    "kind", ["no token", "expired", "wrong signature", "alg none", "deactivated"]
)
async def test_every_protected_route_refuses_a_bad_caller_and_changes_nothing(
    client, engine, world, kind
):
    before = await snapshot(engine)
    tokens = bad_tokens(world["staff"].id)
    tokens["deactivated"] = world["gone"].token
    token = tokens[kind]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for method, path, _, name in PROTECTED:
        resp = await call(client, method, concrete(name, path, world), name, headers)
        assert resp.status == 401, (kind, method, path, await resp.text())
        assert resp.headers["WWW-Authenticate"] == "Bearer"
        resp.close()
    assert await snapshot(engine) == before


ADMIN_ONLY = {
    "users-create",
    "users-update",
    "notifications-create",
    "clients-delete",
    "visa-applications-delete",
}
# Routes on the admin's own resources that staff may read but not change.
NOT_YOURS_403 = {"tasks-update", "tasks-delete", "tasks-assign"}
NOT_YOURS_404 = {
    "notifications-get",
    "notifications-delete",
    "notifications-read",
    "notifications-unread",
}


async def test_staff_on_admin_routes_and_on_others_resources_change_nothing(
    client, engine, world
):
    before = await snapshot(engine)
    staff = world["staff"].headers
    seen = set()
    for method, path, _, name in PROTECTED:
        expected = (
            403
            if name in ADMIN_ONLY | NOT_YOURS_403
            else 404
            if name in NOT_YOURS_404
            else None
        )
        if expected is None:
            continue
        seen.add(name)
        resp = await call(client, method, concrete(name, path, world), name, staff)
        assert resp.status == expected, (method, path, await resp.text())
        body = await resp.json()
        assert body["error"]["status"] == expected
    assert seen == ADMIN_ONLY | NOT_YOURS_403 | NOT_YOURS_404
    # Bulk on someone else's ids is no error, but touches nothing.
    resp = await client.post(
        "/api/v1/notifications/bulk/",
        json={"action": "delete", "ids": [world["ids"]["notification"]]},
        headers=staff,
    )
    assert (await resp.json())["affected"] == 0
    assert await snapshot(engine) == before
