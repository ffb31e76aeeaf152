"""Documents made through the API, for the tests of documents and reminders."""

DOCUMENTS = "/api/v1/documents/"


async def new_document(client, person, client_id, **fields) -> dict:
    fields.setdefault("kind", "PASSPORT")
    resp = await client.post(
        DOCUMENTS, json={"client_id": client_id, **fields}, headers=person.headers
    )
    assert resp.status == 201, await resp.text()
    return await resp.json()
