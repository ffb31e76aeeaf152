import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from ..store.sql import Prepared, Shapes
from ..store.tables import notifications as n
from ..store.tables import user_preferences as p
from ..store.tables import users
from . import history
from .history import SUBJECT_KEYS, notified_from

# Advisory locks of notification writers. The broadcast lock is key 0 of the
# namespace LOCK_NS (the two-integer form): writers to a few recipients take it
# shared, then each recipient's lock, the one-bigint form keyed by the user id
# (any id, known or not: an admin's send locks what it was given before the
# INSERT finds who exists); a write to many recipients takes the broadcast
# lock exclusive instead (one lock, not thousands, which would exhaust the
# lock table).
LOCK_NS = 0x4C50
MANY = 64
LOCK_ALL = sa.text("SELECT pg_advisory_xact_lock(:ns, 0)")
LOCK_SHARED = sa.text("SELECT pg_advisory_xact_lock_shared(:ns, 0)")
# unnest yields the sorted array in order, so locks are taken in id order and
# two writers never wait on each other in a cycle.
LOCK_EACH = sa.text(
    "SELECT pg_advisory_xact_lock(uid) FROM unnest(CAST(:ids AS bigint[])) AS uid"
)


# meta_info's keys that name what a notification is about, in the order the
# group takes them (schema/0013's notification_group, which a test holds this to).
GROUPS = (
    ("task_id", "task"),
    ("document_id", "document"),
    ("visa_application_id", "visa_application"),
)


def group_of(meta_info: dict | None) -> str | None:
    """The group of a notification with this meta_info: "task:7", or None
    (about nothing, or about a number that is not an integer: the trigger then
    writes it as PostgreSQL spells the number)."""
    for key, kind in GROUPS:
        value = (meta_info or {}).get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        return f"{kind}:{value}" if isinstance(value, int) else None
    return None


def _insert(names: tuple, count: int, many: bool, active_only: bool, entries: int = 0):
    """The recipients' locks, then an INSERT … RETURNING of the count rows whose
    recipient did not mute their type (and, with active_only, is an active
    user): one round trip, the ids drawn only once the locks are held, the
    rows returned in the order given."""
    given = sa.values(
        *(sa.column(name, n.c[name].type) for name in names),
        sa.column("ord", sa.Integer),
        name="given",
    ).data(
        [
            (
                *(
                    sa.cast(
                        sa.bindparam(f"v{i}_{name}", type_=n.c[name].type),
                        n.c[name].type,
                    )
                    for name in names
                ),
                i,
            )
            for i in range(count)
        ]
    )
    rows = (
        sa.select(*(given.c[name] for name in names))
        .where(~muted(given.c.assigned_to, given.c.notification_type))
        .order_by(given.c.ord)
    )
    if active_only:
        active = sa.exists().where(
            users.c.id == given.c.assigned_to, users.c.is_active.is_(True)
        )
        rows = rows.where(active)
    locks = [LOCK_ALL] if many else [LOCK_SHARED, LOCK_EACH]
    insert = n.insert().from_select(list(names), rows)
    return [*locks, _with_notified(insert, entries)]


def _with_notified(insert, recorded: int = 0):
    """The INSERT of notifications, with the history written by the same
    statement: the `recorded` entries of the change, then the "notified"
    entry of each notification about something; the notifications in the
    order inserted."""
    inserted = insert.returning(*n.c).cte("inserted")
    actor = sa.bindparam("actor_id", type_=sa.BigInteger)
    notified = notified_from(inserted, actor, recorded).cte("notified")
    return sa.select(inserted).add_cte(notified).order_by(inserted.c.id)


def muted(recipient, notification_type):
    """The recipient muted this type (SYSTEM never is: a CHECK says so)."""
    return sa.exists().where(
        p.c.user_id == recipient, notification_type == sa.any_(p.c.muted_types)
    )


# Compiled once per row count: every task change, comment and notification runs one.
INSERT = Shapes(_insert)


async def insert_notifications(
    conn,
    rows: list[dict],
    active_only: bool = False,
    actor_id: int | None = None,
    entries: list[dict] = (),
):
    """Lock the rows' recipients until commit, then insert the rows, but those
    of a type their recipient muted (and with active_only those of a recipient
    who is not an active user); return the inserted ones in order. The locks
    serialise writers per recipient, so one recipient's ids commit in
    increasing order. Every row has the same keys. Each one about something
    gets its "notified" history entry, actor_id the user who caused it; the
    history `entries` the change recorded are written first, in the same
    round trip."""
    rows = [{**row, "group": group_of(row.get("meta_info"))} for row in rows]
    recipients = sorted({row["assigned_to"] for row in rows})
    many = len(recipients) > MANY
    values = {"ns": LOCK_NS, "ids": recipients, "actor_id": actor_id}
    for i, row in enumerate(rows):
        values.update((f"v{i}_{name}", value) for name, value in row.items())
    values.update(history.entries_values(entries))
    shape = (tuple(rows[0]), len(rows), many, active_only, len(entries))
    # Only small shapes are kept: a statement of a thousand rows is big.
    prepared = (
        INSERT(*shape)
        if len(rows) <= MANY
        else Prepared(*_insert(*shape), server=False)
    )
    return await prepared.rows(conn, **values)


async def lock_all_recipients(conn) -> None:
    await conn.execute(LOCK_ALL, ns=LOCK_NS)


async def insert_for_active_users(conn, values: dict, actor_id: int | None = None):
    """One row per active user who did not mute its type, in a single
    INSERT … SELECT (and, about something, their "notified" entries)."""
    values = {**values, "group": group_of(values.get("meta_info"))}
    columns = ["assigned_to", *values]
    literals = [sa.literal(v, type_=n.c[k].type) for k, v in values.items()]
    source = sa.select(users.c.id, *literals)
    source = source.where(users.c.is_active.is_(True)).order_by(users.c.id)
    if "notification_type" in values:  # the column's default, SYSTEM, is never muted
        kind = sa.literal(values["notification_type"], type_=sa.Text)
        source = source.where(~muted(users.c.id, kind))
    insert = n.insert().from_select(columns, source)
    meta = values.get("meta_info") or {}
    if any(key in meta for key in SUBJECT_KEYS):
        statement = _with_notified(insert).params(actor_id=actor_id)
    else:  # an announcement: nothing to write in any history
        statement = insert.returning(*n.c)
    result = await conn.execute(statement)
    return await result.fetchall()


def _filters(
    user_id, *, read=None, types=None, before_id=None, after_id=None, group=None
):
    where = [n.c.assigned_to == user_id]
    if read is not None:
        where.append(n.c.read.is_(read))
    if group is not None:
        where.append(n.c.group == group)
    if types:
        where.append(n.c.notification_type.in_(types))
    if before_id is not None:
        where.append(n.c.id < before_id)
    if after_id is not None:
        where.append(n.c.id > after_id)
    return sa.and_(*where)


async def list_notifications(conn, user_id, *, limit, offset, **filters):
    where = _filters(user_id, **filters)
    count = await conn.scalar(sa.select(sa.func.count()).select_from(n).where(where))
    result = await conn.execute(
        sa.select(n).where(where).order_by(n.c.id.desc()).limit(limit).offset(offset)
    )
    return await result.fetchall(), count


async def list_groups(conn, user_id, *, limit, offset, **filters):
    """(a page of the recipient's groups, newest first, how many groups) among
    the notifications the filters match. A group is the notifications about one
    task or visa application (`group`); one without a group is a group of its
    own. Each row: the latest notification's columns, `count`, `unread_in`."""
    where = _filters(user_id, **filters)
    key = sa.func.coalesce(n.c.group, sa.literal("id:") + sa.cast(n.c.id, sa.Text))
    groups = (
        sa.select(
            sa.func.max(n.c.id).label("latest_id"),
            sa.func.count().label("count"),
            sa.func.count().filter(n.c.read.is_(False)).label("unread_in"),
        )
        .where(where)
        .group_by(key)
        .subquery("g")
    )
    total = await conn.scalar(sa.select(sa.func.count()).select_from(groups))
    result = await conn.execute(
        sa.select(n, groups.c.count, groups.c.unread_in)
        .select_from(groups.join(n, n.c.id == groups.c.latest_id))
        .order_by(groups.c.latest_id.desc())
        .limit(limit)
        .offset(offset)
    )
    return await result.fetchall(), total


async def replay_notifications(conn, user_id, after_id, types=None, limit=500):
    """The recipient's notifications after after_id, oldest first, one page."""
    where = _filters(user_id, types=types, after_id=after_id)
    result = await conn.execute(sa.select(n).where(where).order_by(n.c.id).limit(limit))
    return await result.fetchall()


def _catch_up(user_id, after_id, types, limit):
    unread = sa.select(sa.func.count().label("unread_count")).select_from(n)
    unread = unread.where(_filters(user_id, read=False)).subquery("u")
    page = sa.select(n).where(_filters(user_id, types=types, after_id=after_id))
    page = page.order_by(n.c.id).limit(limit).subquery("p").lateral()
    query = sa.select(unread.c.unread_count, *page.c)
    return query.select_from(unread.outerjoin(page, sa.true())).order_by(page.c.id)


CATCH_UP = Prepared(
    _catch_up(
        sa.bindparam("user_id"), sa.bindparam("after_id"), None, sa.bindparam("limit")
    )
)


async def catch_up(conn, user_id, after_id, types=None, limit=500):
    """(one page of replay, the unread count) in one round trip and one snapshot:
    a stream opens with both, so this halves its queries."""
    if types:
        result = await conn.execute(_catch_up(user_id, after_id, types, limit))
        rows = await result.fetchall()
    else:
        rows = await CATCH_UP.rows(
            conn, user_id=user_id, after_id=after_id, limit=limit
        )
    return [r for r in rows if r.id is not None], rows[0].unread_count


async def count_unread(conn, user_id) -> int:
    return await conn.scalar(
        sa.select(sa.func.count()).select_from(n).where(_filters(user_id, read=False))
    )


async def get_notification(conn, user_id, notification_id):
    result = await conn.execute(
        sa.select(n).where(n.c.id == notification_id, n.c.assigned_to == user_id)
    )
    return await result.first()


def _targets(user_id, ids, group):
    where = [n.c.assigned_to == user_id]
    if ids is not None:
        where.append(n.c.id.in_(list(ids)))
    if group is not None:
        where.append(n.c.group == group)
    return where


async def set_read(conn, user_id, ids, read: bool, group=None) -> list[int]:
    """Mark the caller's notifications (ids, one group, or all when both are
    None); return those changed.

    `read_at` keeps its first value while a notification stays read.
    Reading implies seeing: `delivered_at` is written in batches, half a
    second apart, so one read sooner would be "read, never seen"; marking it
    read sets it too when it is still null.
    """
    values = {"read": read, "read_at": sa.func.now() if read else None}
    if read:
        values["delivered_at"] = sa.func.coalesce(n.c.delivered_at, sa.func.now())
    where = [*_targets(user_id, ids, group), n.c.read.is_(not read)]
    if not read:
        # The read being undone stays in the history, as a read of its own.
        return await _archived(
            conn, where, history.keep_reads, n.update().values(**values)
        )
    result = await conn.execute(
        n.update().where(*where).values(**values).returning(n.c.id)
    )
    return sorted(row.id for row in await result.fetchall())


async def delete_notifications(conn, user_id, ids, group=None) -> list[int]:
    """Delete them; their history (delivered, read, emailed) is kept."""
    where = _targets(user_id, ids, group)
    return await _archived(conn, where, history.keep_facts, n.delete())


async def _archived(conn, where, keep, change) -> list[int]:
    """`change` (an UPDATE or DELETE of notifications) of the rows `where`
    names, after `keep` stored what the history reads from them: one
    statement. The ids changed, sorted."""
    old = sa.select(n).where(*where).with_for_update().cte("old")
    kept = keep(old).cte("kept")
    changed = change.where(n.c.id == old.c.id).returning(n.c.id).cte("changed")
    query = sa.select(changed.c.id).add_cte(kept).order_by(changed.c.id)
    result = await conn.execute(query)
    return [row.id for row in await result.fetchall()]


# Ids as one array: an IN list is compiled anew for each number of ids, a bind
# parameter each, which is slow for a broadcast's thousands; the array keeps it
# one statement, prepared once.
MARK_DELIVERED = Prepared(
    n.update()
    .where(
        n.c.id == sa.any_(sa.bindparam("ids", type_=ARRAY(sa.BigInteger))),
        n.c.delivered_at.is_(None),
    )
    .values(delivered_at=sa.func.now())
)


async def mark_delivered(conn, ids) -> None:
    await MARK_DELIVERED.rows(conn, ids=list(ids))


async def get_notification_by_id(conn, notification_id):
    result = await conn.execute(sa.select(n).where(n.c.id == notification_id))
    return await result.first()


_NEWEST = sa.select(sa.func.max(n.c.id)).where(
    n.c.assigned_to == sa.bindparam("user_id")
)
_UNREAD = sa.select(sa.func.count()).select_from(n)
_UNREAD = _UNREAD.where(_filters(sa.bindparam("user_id"), read=False))
STREAM_START = Prepared(
    sa.select(
        _NEWEST.scalar_subquery().label("newest"),
        _UNREAD.scalar_subquery().label("unread_count"),
    )
)


async def stream_start(conn, user_id) -> tuple[int, int]:
    """(the recipient's newest notification id or 0, the unread count), in one
    round trip: where a new stream starts (it subscribes first, so what commits
    after this is buffered, not missed) and what its badge shows."""
    row = await STREAM_START.first(conn, user_id=user_id)
    return row.newest or 0, row.unread_count
