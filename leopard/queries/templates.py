"""Task templates, and the record of which made its tasks for which
application."""

import psycopg2.errors
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from ..errors import Conflict, NotFound
from ..store.sql import Prepared
from ..store.tables import task_templates as tt
from ..store.tables import template_runs as runs

SHOWN = (
    tt.c.id,
    tt.c.name,
    tt.c.visa_type,
    tt.c.on_status,
    tt.c.active,
    tt.c.tasks,
    tt.c.created_at,
    tt.c.updated_at,
)


def _name_taken(name: str) -> Conflict:
    return Conflict(
        f"a template is already named {name!r}", {"name": ["already taken"]}
    )


async def list_templates(conn, *, limit: int, offset: int):
    count = await conn.scalar(sa.select(sa.func.count()).select_from(tt))
    query = sa.select(*SHOWN).order_by(sa.func.lower(tt.c.name), tt.c.id)
    result = await conn.execute(query.limit(limit).offset(offset))
    return await result.fetchall(), count


async def all_templates(conn):
    result = await conn.execute(sa.select(*SHOWN).order_by(tt.c.id))
    return await result.fetchall()


async def get_template(conn, template_id: int, *, lock: bool = False):
    query = sa.select(*SHOWN).where(tt.c.id == template_id)
    if lock:
        query = query.with_for_update()
    row = await (await conn.execute(query)).first()
    if row is None:
        raise NotFound(f"no task template with id {template_id}")
    return row


async def find_by_name(conn, name: str):
    query = sa.select(*SHOWN).where(sa.func.lower(tt.c.name) == name.lower())
    return await (await conn.execute(query.with_for_update())).first()


async def insert_template(conn, **values):
    try:
        result = await conn.execute(tt.insert().values(**values).returning(*SHOWN))
    except psycopg2.errors.UniqueViolation:
        raise _name_taken(values["name"]) from None
    return await result.first()


async def update_template(conn, template_id: int, **values):
    try:
        result = await conn.execute(
            tt.update()
            .where(tt.c.id == template_id)
            .values(updated_at=sa.func.now(), **values)
            .returning(*SHOWN)
        )
    except psycopg2.errors.UniqueViolation:
        raise _name_taken(values["name"]) from None
    row = await result.first()
    if row is None:
        raise NotFound(f"no task template with id {template_id}")
    return row


async def delete_template(conn, template_id: int) -> None:
    result = await conn.execute(
        tt.delete().where(tt.c.id == template_id).returning(tt.c.id)
    )
    if await result.first() is None:
        raise NotFound(f"no task template with id {template_id}")


def _claim_runs():
    application = sa.cast(sa.bindparam("application_id"), sa.BigInteger)
    matching = sa.select(application, tt.c.id)
    matching = matching.where(
        tt.c.active,
        tt.c.on_status == sa.bindparam("status", type_=sa.Text),
        sa.or_(
            tt.c.visa_type.is_(None),
            sa.func.lower(tt.c.visa_type)
            == sa.func.lower(sa.bindparam("visa_type", type_=sa.Text)),
        ),
    )
    claimed = (
        insert(runs)
        .from_select(["visa_application_id", "template_id"], matching)
        .on_conflict_do_nothing()
        .returning(runs.c.template_id)
        .cte("claimed")
    )
    return sa.select(*SHOWN).join(claimed, claimed.c.template_id == tt.c.id)


# Every status change runs it: compiled once.
CLAIM_RUNS = Prepared(_claim_runs().order_by(tt.c.id))


async def claim_runs(conn, application_id: int, visa_type: str, status: str):
    """The active templates for this type and status that have not yet made
    their tasks for the application, each now recorded as having done so.

    The record is an INSERT … ON CONFLICT DO NOTHING on (application,
    template): of two transactions entering the status at once, the second
    waits on the first's row and then inserts nothing, so one set of tasks is
    made, whatever the timing; a template that ran once never runs again for
    the application.
    """
    return await CLAIM_RUNS.rows(
        conn, application_id=application_id, visa_type=visa_type, status=status
    )
