"""What the visa notification tests read: counts, patches, stored notifications."""

from .clients import VISAS


async def notification_count(client, person) -> int:
    resp = await client.get("/api/v1/notifications/", headers=person.headers)
    return (await resp.json())["count"]


async def patch_application(client, person, application, **fields) -> dict:
    resp = await client.patch(
        f"{VISAS}{application['id']}/", json=fields, headers=person.headers
    )
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def stored_about(engine, application) -> int:
    async with engine.acquire() as conn:
        return await conn.scalar(
            "SELECT count(*) FROM notifications"
            " WHERE meta_info->>'visa_application_id' = %s",
            (str(application["id"]),),
        )
