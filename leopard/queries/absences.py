"""Absences: one per user, with the delegate who takes their new work. Who is
away is decided by each query at the moment, on the database's clock
(starts_at <= now() < ends_at); an absence that has ended reads as none."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, insert

from ..store.sql import Prepared
from ..store.tables import absences as a
from ..store.tables import users

NOW = sa.func.now()
AWAY = sa.and_(a.c.starts_at <= NOW, NOW < a.c.ends_at)
SHOWN = [
    a.c.user_id,
    a.c.starts_at,
    a.c.ends_at,
    a.c.delegate_id,
    a.c.note,
    AWAY.label("current"),
]


def _ids(ids):
    ids = sa.bindparam("ids", list(ids), type_=ARRAY(sa.BigInteger))
    return sa.cast(ids, ARRAY(sa.BigInteger))


async def get_absence(conn, user_id: int):
    """The user's absence that has not ended (current or upcoming), or None."""
    query = sa.select(*SHOWN).where(a.c.user_id == user_id, a.c.ends_at > NOW)
    return await (await conn.execute(query)).first()


async def absences_of(conn, user_ids) -> dict:
    """{user_id: absence} of those of the users who have one that has not ended."""
    query = sa.select(*SHOWN).where(a.c.user_id == sa.any_(_ids(user_ids)))
    result = await conn.execute(query.where(a.c.ends_at > NOW))
    return {row.user_id: dict(row) for row in await result.fetchall()}


async def put_absence(conn, user_id: int, **values):
    """Set the user's absence, replacing the one they had."""
    values = {"note": "", **values}
    statement = insert(a).values(user_id=user_id, **values)
    statement = statement.on_conflict_do_update(
        index_elements=[a.c.user_id], set_={**values, "updated_at": NOW}
    )
    return await (await conn.execute(statement.returning(*SHOWN))).first()


async def delete_absence(conn, user_id: int) -> None:
    await conn.execute(a.delete().where(a.c.user_id == user_id))


async def absent_among(conn, user_ids) -> set[int]:
    """Those of the users who are away now."""
    query = sa.select(a.c.user_id).where(a.c.user_id == sa.any_(_ids(user_ids)), AWAY)
    return {row.user_id for row in await (await conn.execute(query)).fetchall()}


def _chains(hands: int):
    origins = sa.func.unnest(_ids([])).table_valued("origin").render_derived()
    start = sa.select(
        origins.c.origin,
        # Literals, not parameters: a prepared statement's parameters need types
        # PostgreSQL cannot infer in a recursive query.
        sa.literal_column("0").label("depth"),
        origins.c.origin.label("user_id"),
    )
    hand = start.cte("hand", recursive=True)
    step = (
        sa.select(hand.c.origin, hand.c.depth + sa.literal_column("1"), a.c.delegate_id)
        .join(a, a.c.user_id == hand.c.user_id)
        .where(AWAY, hand.c.depth < sa.literal_column(str(int(hands))))
    )
    hand = hand.union_all(step)
    return (
        sa.select(hand.c.origin, hand.c.depth, hand.c.user_id, users.c.is_active)
        .join(users, users.c.id == hand.c.user_id)
        .order_by(hand.c.origin, hand.c.depth)
    )


# Every assignment asks: compiled once (building and compiling the recursive
# query cost several times its round trip).
CHAINS: dict[int, Prepared] = {}


async def chains(conn, user_ids, hands: int) -> dict[int, list[tuple[int, bool]]]:
    """{user: [(user, active), (their delegate, active), …]} while each is away,
    up to `hands` hand-ons and one more (so that one more than allowed shows).
    A chain that comes back round stops only at that bound: the caller sees
    the repeat."""
    prepared = CHAINS.get(hands + 1)
    if prepared is None:
        prepared = CHAINS[hands + 1] = Prepared(_chains(hands + 1))
    found: dict[int, list] = {}
    for row in await prepared.rows(conn, ids=list(user_ids)):
        found.setdefault(row.origin, []).append((row.user_id, row.is_active))
    return found
