"""Helpers shared by the task tests: tasks through the API, clients and visa
applications straight into the database (their API is another issue's)."""

from .common import unique

TASKS = "/api/v1/tasks/"


async def make_task(client, person, **fields) -> dict:
    fields.setdefault("title", unique("task"))
    resp = await client.post(TASKS, json=fields, headers=person.headers)
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def get_json(client, path, person, expect=200, **params):
    resp = await client.get(path, headers=person.headers, params=params)
    assert resp.status == expect, await resp.text()
    return await resp.json()


async def send(client, method, path, person, body=None, expect=200):
    resp = await client.request(method, path, json=body, headers=person.headers)
    assert resp.status == expect, await resp.text()
    return None if expect == 204 else await resp.json()


async def make_client(engine) -> int:
    async with engine.acquire() as conn:
        return await conn.scalar(
            "INSERT INTO clients (first_name, last_name) VALUES (%s, 'Test')"
            " RETURNING id",
            (unique("client"),),
        )


async def make_application(engine, client_id: int) -> int:
    async with engine.acquire() as conn:
        return await conn.scalar(
            "INSERT INTO visa_applications (client_id, visa_type) VALUES (%s, %s)"
            " RETURNING id",
            (client_id, "subclass 482"),
        )


async def inbox(client, person, **params) -> list[dict]:
    """The person's notifications, newest first."""
    body = await get_json(client, "/api/v1/notifications/", person, **params)
    return body["results"]
