"""Clients and visa applications made through the API, for the tests of both."""

from .common import unique

CLIENTS = "/api/v1/clients/"
VISAS = "/api/v1/visa-applications/"


async def new_client(client, person, **fields) -> dict:
    fields.setdefault("first_name", "Jane")
    fields.setdefault("last_name", unique("Doe"))
    resp = await client.post(CLIENTS, json=fields, headers=person.headers)
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def new_application(client, person, client_id, **fields) -> dict:
    fields.setdefault("visa_type", "Student visa (500)")
    resp = await client.post(
        VISAS, json={"client_id": client_id, **fields}, headers=person.headers
    )
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def error_of(resp, status: int) -> dict:
    assert resp.status == status, await resp.text()
    return (await resp.json())["error"]
