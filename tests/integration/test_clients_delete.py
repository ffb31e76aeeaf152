"""Deleting clients: admins only, and never while something refers to them."""

import uuid

from ..support.clients import CLIENTS, VISAS, error_of, new_application, new_client


async def test_staff_cannot_delete_a_client(client, make_user):
    staff = await make_user()
    made = await new_client(client, staff)
    error = await error_of(
        await client.delete(f"{CLIENTS}{made['id']}/", headers=staff.headers), 403
    )
    assert error["code"] == "forbidden"
    again = await client.get(f"{CLIENTS}{made['id']}/", headers=staff.headers)
    assert await again.json() == made


async def test_an_admin_deletes_a_client(client, make_user):
    admin, staff = await make_user("admin"), await make_user()
    made = await new_client(client, staff)
    resp = await client.delete(f"{CLIENTS}{made['id']}/", headers=admin.headers)
    assert resp.status == 204
    gone = await client.get(f"{CLIENTS}{made['id']}/", headers=staff.headers)
    assert gone.status == 404


async def test_a_client_with_applications_cannot_be_deleted_until_they_are_gone(
    client, make_user
):
    admin = await make_user("admin")
    jane = await new_client(client, admin)
    made = await new_application(client, admin, jane["id"])
    jane_path, visa_path = f"{CLIENTS}{jane['id']}/", f"{VISAS}{made['id']}/"
    error = await error_of(await client.delete(jane_path, headers=admin.headers), 409)
    assert error["code"] == "conflict"
    assert error["message"] == (
        f"client {jane['id']} still has visa applications; delete them first"
    )
    assert await (await client.get(jane_path, headers=admin.headers)).json() == jane
    assert await (await client.get(visa_path, headers=admin.headers)).json() == made
    assert (await client.delete(visa_path, headers=admin.headers)).status == 204
    assert (await client.delete(jane_path, headers=admin.headers)).status == 204


async def test_a_client_with_tasks_cannot_be_deleted(client, make_user, engine):
    admin = await make_user("admin")
    jane = await new_client(client, admin)
    async with engine.acquire() as conn:
        await conn.execute(
            "INSERT INTO tasks (title, created_by, client_id) VALUES (%s, %s, %s)",
            ("Call Jane", admin.id, jane["id"]),
        )
    path = f"{CLIENTS}{jane['id']}/"
    error = await error_of(await client.delete(path, headers=admin.headers), 409)
    assert error["message"] == (
        f"client {jane['id']} still has tasks; delete them first"
    )
    assert await (await client.get(path, headers=admin.headers)).json() == jane


async def test_any_table_that_refers_to_a_client_keeps_it_from_deletion(
    client, make_user, engine
):
    """What tasks.client_id will do: the foreign key, not a lookup, refuses it."""
    admin = await make_user("admin")
    made = await new_client(client, admin)
    table = f"refs_{uuid.uuid4().hex[:10]}"
    async with engine.acquire() as conn:
        await conn.execute(
            f"CREATE TABLE {table} (client_id bigint REFERENCES clients (id))"
        )
        await conn.execute(f"INSERT INTO {table} VALUES (%s)", (made["id"],))
    try:
        resp = await client.delete(f"{CLIENTS}{made['id']}/", headers=admin.headers)
        error = await error_of(resp, 409)
        assert error["message"] == (
            f"client {made['id']} still has rows in {table}; delete them first"
        )
    finally:
        async with engine.acquire() as conn:
            await conn.execute(f"DROP TABLE {table}")
    again = await client.get(f"{CLIENTS}{made['id']}/", headers=admin.headers)
    assert await again.json() == made
