import psycopg2.errors
import sqlalchemy as sa

from ..errors import Conflict, Invalid, NotFound
from ..store.sql import Prepared, Shapes
from ..store.tables import tasks as t
from ..store.tables import visa_applications as v
from .clients import STILL_REFERENCED

OPEN, DONE = ("PENDING", "IN_PROGRESS"), ("COMPLETED", "CANCELLED")


def _count(application_id, statuses):
    return (
        sa.select(sa.func.count())
        .where(
            t.c.visa_application_id == application_id,
            # Not IN (…): an expanding IN cannot be prepared once.
            sa.or_(*(t.c.status == status for status in statuses)),
        )
        .scalar_subquery()
    )


def _checklist(application_id):
    """{"open": N, "done": M}: its tasks not done and done (through the index
    on tasks.visa_application_id, within the one query that reads the rows)."""
    return sa.func.jsonb_build_object(
        sa.literal_column("'open'"),
        _count(application_id, OPEN),
        sa.literal_column("'done'"),
        _count(application_id, DONE),
    ).label("checklist")


SHOWN = (*v.c, _checklist(v.c.id))
# Every status change and every read of one application runs these: compiled
# once (a statement's compilation costs more than its round trip).
_ID = sa.bindparam("application_id", type_=sa.BigInteger)
GET = Prepared(sa.select(*SHOWN).where(v.c.id == _ID))
GET_LOCKED = Prepared(sa.select(v).where(v.c.id == _ID).with_for_update())
CHECKLIST = Prepared(sa.select(_checklist(_ID).label("checklist")))


def _update(names: tuple):
    values = {name: sa.bindparam(f"new_{name}", type_=v.c[name].type) for name in names}
    statement = v.update().where(v.c.id == _ID)
    return [statement.values(updated_at=sa.func.now(), **values).returning(*v.c)]


UPDATE = Shapes(_update, limit=64)


async def checklist_of(conn, application_id: int) -> dict:
    row = await CHECKLIST.first(conn, application_id=application_id)
    return row.checklist


# Which request field a foreign key of visa_applications belongs to.
REFERENCES = {"client_id": "no client with this id", "assigned_to": "no such user"}


def _invalid_reference(exc) -> Invalid:
    constraint = exc.diag.constraint_name or ""
    for column, message in REFERENCES.items():
        if column in constraint:
            return Invalid("invalid field values", {column: [message]})
    return Invalid("invalid field values", {"_": [exc.diag.message_primary]})


async def get_application(conn, application_id: int, *, lock: bool = False):
    """The application, or NotFound; lock holds it until commit (for updates;
    then without its checklist)."""
    row = await (GET_LOCKED if lock else GET).first(conn, application_id=application_id)
    if row is None:
        raise NotFound(f"no visa application with id {application_id}")
    return row


async def list_applications(
    conn, *, limit, offset, client_id=None, status=None, assigned_to=None
):
    """Newest first. assigned_to is a user id, or "none" for the unassigned."""
    where = []
    if client_id is not None:
        where.append(v.c.client_id == client_id)
    if status:
        where.append(v.c.status.in_(status))
    if assigned_to == "none":
        where.append(v.c.assigned_to.is_(None))
    elif assigned_to is not None:
        where.append(v.c.assigned_to == assigned_to)
    condition = sa.and_(sa.true(), *where)
    count = await conn.scalar(
        sa.select(sa.func.count()).select_from(v).where(condition)
    )
    result = await conn.execute(
        sa.select(*SHOWN)
        .where(condition)
        .order_by(v.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return await result.fetchall(), count


async def insert_application(conn, **values):
    try:
        result = await conn.execute(v.insert().values(**values).returning(*v.c))
    except psycopg2.errors.ForeignKeyViolation as exc:
        raise _invalid_reference(exc) from None
    return await result.first()


async def update_application(conn, application_id: int, **values):
    names = tuple(sorted(values))
    params = {f"new_{name}": value for name, value in values.items()}
    try:
        row = await UPDATE(names).first(conn, application_id=application_id, **params)
    except psycopg2.errors.ForeignKeyViolation as exc:
        raise _invalid_reference(exc) from None
    if row is None:
        raise NotFound(f"no visa application with id {application_id}")
    return row


async def delete_application(conn, application_id: int) -> None:
    """Delete it; Conflict while something (a task) still refers to it."""
    try:
        result = await conn.execute(
            v.delete().where(v.c.id == application_id).returning(v.c.id)
        )
    except STILL_REFERENCED as exc:
        raise Conflict(
            f"visa application {application_id} is still referred to by"
            f" {exc.diag.table_name}; delete those first"
        ) from None
    if await result.first() is None:
        raise NotFound(f"no visa application with id {application_id}")
