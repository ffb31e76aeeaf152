"""Teams, their members and leads, and who is told about their queues."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, insert

from ..errors import NotFound
from ..store.tables import absences as a
from ..store.tables import tasks as t
from ..store.tables import team_members as m
from ..store.tables import teams, users
from .absences import AWAY
from .reminders import OPEN


def _members(*where):
    ids = sa.select(m.c.user_id).where(m.c.team_id == teams.c.id, *where)
    return sa.func.array(ids.order_by(m.c.user_id).scalar_subquery())


TEAM = [
    teams.c.id,
    teams.c.name,
    _members(m.c.is_lead.is_(True)).label("lead_ids"),
    _members().label("member_ids"),
]


def _ids(ids):
    return sa.cast(list(ids), ARRAY(sa.BigInteger))


def _found(row, team_id):
    if row is None:
        raise NotFound(f"no team with id {team_id}")
    return row


async def list_teams(conn, *, limit: int, offset: int):
    count = await conn.scalar(sa.select(sa.func.count()).select_from(teams))
    query = sa.select(*TEAM).order_by(sa.func.lower(teams.c.name), teams.c.id)
    result = await conn.execute(query.limit(limit).offset(offset))
    return await result.fetchall(), count


async def get_team(conn, team_id: int, lock: bool = False):
    """The team, or NotFound; with lock, its row locked until commit, so that
    changes to one team take turns and a delete waits for tasks being queued."""
    query = sa.select(*TEAM).where(teams.c.id == team_id)
    if lock:
        query = query.with_for_update(of=teams)
    return _found(await (await conn.execute(query)).first(), team_id)


async def keep_team(conn, team_id: int) -> bool:
    """Whether the team exists; it is kept from deletion until commit (a task
    queued for it commits first, so the delete sees it waiting)."""
    query = sa.select(teams.c.id).where(teams.c.id == team_id)
    return await conn.scalar(query.with_for_update(key_share=True)) is not None


async def insert_team(conn, name: str) -> int:
    return await conn.scalar(teams.insert().values(name=name).returning(teams.c.id))


async def rename_team(conn, team_id: int, name: str) -> None:
    await conn.execute(
        teams.update()
        .where(teams.c.id == team_id)
        .values(name=name, updated_at=sa.func.now())
    )


async def set_members(conn, team_id: int, members: dict[int, bool]) -> None:
    """The team's members become exactly {user_id: is_lead}."""
    await conn.execute(
        m.delete().where(m.c.team_id == team_id, m.c.user_id != sa.all_(_ids(members)))
    )
    if members:
        rows = [
            {"team_id": team_id, "user_id": user, "is_lead": lead}
            for user, lead in sorted(members.items())
        ]
        statement = insert(m).values(rows)
        await conn.execute(
            statement.on_conflict_do_update(
                index_elements=[m.c.team_id, m.c.user_id],
                set_={"is_lead": statement.excluded.is_lead},
            )
        )


async def delete_team(conn, team_id: int) -> None:
    await conn.execute(teams.delete().where(teams.c.id == team_id))


def _waiting(team_id):
    return sa.and_(
        t.c.assigned_team == team_id, t.c.assigned_to.is_(None), t.c.status.in_(OPEN)
    )


async def count_waiting(conn, team_id: int) -> int:
    """The team's queue: its tasks that nobody has and that are not done."""
    query = sa.select(sa.func.count()).select_from(t).where(_waiting(team_id))
    return await conn.scalar(query)


async def team_name(conn, team_id: int) -> str | None:
    return await conn.scalar(sa.select(teams.c.name).where(teams.c.id == team_id))


async def is_member(conn, team_id: int, user_id: int, lead: bool = False) -> bool:
    query = sa.select(m.c.user_id).where(m.c.team_id == team_id, m.c.user_id == user_id)
    if lead:
        query = query.where(m.c.is_lead.is_(True))
    return await conn.scalar(query) is not None


async def queue_members(conn, team_id: int) -> list:
    """The team's active members, each with whether they are away now: all of
    them see its queue change (`event: queue`), those at work are told of a
    task waiting in it (TASK_QUEUED). Rows (user_id, away), by user id."""
    away = sa.exists().where(a.c.user_id == m.c.user_id, AWAY)
    query = (
        sa.select(m.c.user_id, away.label("away"))
        .join(users, users.c.id == m.c.user_id)
        .where(m.c.team_id == team_id, users.c.is_active.is_(True))
        .order_by(m.c.user_id)
    )
    return await (await conn.execute(query)).fetchall()


async def team_leads(conn, team_ids) -> dict[int, list[int]]:
    """{team: its active leads} for those of the teams that have any."""
    query = (
        sa.select(m.c.team_id, m.c.user_id)
        .join(users, users.c.id == m.c.user_id)
        .where(m.c.team_id == sa.any_(_ids(team_ids)), m.c.is_lead.is_(True))
        .where(users.c.is_active.is_(True))
        .order_by(m.c.team_id, m.c.user_id)
    )
    found: dict[int, list[int]] = {}
    for row in await (await conn.execute(query)).fetchall():
        found.setdefault(row.team_id, []).append(row.user_id)
    return found


async def leads_of_members(conn, user_ids) -> dict[int, list[int]]:
    """{user: the active leads of every team they belong to}, for those of the
    users whose teams have any."""
    mine, lead = m.alias("mine"), m.alias("lead")
    query = (
        sa.select(mine.c.user_id.label("member"), lead.c.user_id.label("lead"))
        .join(lead, sa.and_(lead.c.team_id == mine.c.team_id, lead.c.is_lead))
        .join(users, users.c.id == lead.c.user_id)
        .where(mine.c.user_id == sa.any_(_ids(user_ids)), users.c.is_active)
        .distinct()
        .order_by("member", "lead")
    )
    found: dict[int, list[int]] = {}
    for row in await (await conn.execute(query)).fetchall():
        found.setdefault(row.member, []).append(row.lead)
    return found
