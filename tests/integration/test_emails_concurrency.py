"""Several Leopard processes on one database: each notification is emailed
once. Each "process" is its own engine (connection pool) and mailer; their
sweeps run at once, again and again, while new notifications keep coming."""

import asyncio
from collections import Counter

from leopard.services import emails as service
from leopard.store.db import open_engine

from ..support.emails import add_note, email_settings, emailed, emailed_person, mailer
from ..support.smtp import smtp_server


async def test_two_processes_sweeping_at_once_email_each_notification_once(
    database_url, engine, make_user, settings
):
    people = [await emailed_person(make_user, engine) for _ in range(8)]
    addresses = {p.email for p in people}
    settings = email_settings(settings)
    made: list[int] = []
    async with (
        open_engine(database_url, maxsize=4) as one,
        open_engine(database_url, maxsize=4) as two,
    ):
        with smtp_server() as (server, port):
            for _ in range(5):
                for person in people:
                    made += [await add_note(engine, person) for _ in range(3)]
                await asyncio.gather(
                    *(
                        service.sweep(e, mailer(port), settings)
                        for e in (one, two, one, two)
                    )
                )
            await service.sweep(one, mailer(port), settings)
    ours = [r for r in server.received if addresses & set(r.recipients)]
    titles = Counter(title for r in ours for title in r.titles)
    assert len(titles) == len(made) == 8 * 3 * 5
    assert set(titles.values()) == {1}, "a notification was emailed twice"
    marked = [i for p in people for i in await emailed(engine, p)]
    assert sorted(marked) == sorted(made)
    for r in ours:
        assert len(r.recipients) == 1
