"""With LEOPARD_DATABASE_URL unset, Leopard runs its own PostgreSQL in the data dir."""

import psutil

from ..support.common import unique


def _postgres_running_in(data_dir) -> bool:
    for proc in psutil.process_iter(attrs=("name", "cmdline")):
        cmdline = proc.info["cmdline"] or []
        if proc.info["name"] == "postgres" and any(str(data_dir) in a for a in cmdline):
            return True
    return False


async def test_the_embedded_database_keeps_data_across_restarts_and_stops(
    aiohttp_client, make_app, data_dir
):
    name = unique("dora")

    client = await aiohttp_client(make_app(database_url=None, data_dir=data_dir))
    assert (await client.get("/readyz")).status == 200
    token = await client.post(
        "/api/v1/auth/token/", json={"username": "admin", "password": "admin-password"}
    )
    admin = {"Authorization": f"Bearer {(await token.json())['access_token']}"}
    created = await client.post(
        "/api/v1/users/",
        json={"username": name, "password": "long-enough"},
        headers=admin,
    )
    assert created.status == 201
    assert (data_dir / "pgdata" / "PG_VERSION").exists()
    await client.close()
    assert not _postgres_running_in(data_dir / "pgdata")

    client = await aiohttp_client(make_app(database_url=None, data_dir=data_dir))
    resp = await client.post(
        "/api/v1/auth/token/", json={"username": name, "password": "long-enough"}
    )
    assert resp.status == 200
    await client.close()
