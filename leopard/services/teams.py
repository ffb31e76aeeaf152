"""Teams: everyone reads them, admins write them. Leads are members; a team
with tasks waiting in its queue is not deleted."""

import psycopg2.errors

from ..errors import Conflict, Invalid
from ..queries import teams as q
from ..queries.users import active_user_ids
from .permissions import require_admin
from .work import unit_of_work


def _taken(name: str) -> Conflict:
    return Conflict(
        f"a team named {name!r} exists already",
        {"name": ["Another team has this name."]},
    )


async def _check_people(conn, data: dict) -> None:
    """Invalid naming each list that holds an unknown or inactive user."""
    wanted = {i for key in ("lead_ids", "member_ids") for i in data.get(key, ())}
    active = set(await active_user_ids(conn, sorted(wanted))) if wanted else set()
    errors = {
        key: [f"no active user with id {i}" for i in data[key] if i not in active]
        for key in ("lead_ids", "member_ids")
        if key in data and set(data[key]) - active
    }
    if errors:
        raise Invalid("invalid field values", errors)


def _members(before, data: dict) -> dict[int, bool]:
    """{user: is_lead}: the leads given (else kept), and the members given
    (else kept), a lead missing from them added."""
    leads = data.get("lead_ids", before.lead_ids if before else [])
    members = data.get("member_ids", before.member_ids if before else [])
    return {user: user in leads for user in {*members, *leads}}


async def list_teams(engine, query: dict):
    async with engine.acquire() as conn:
        return await q.list_teams(conn, **query)


async def get_team(engine, team_id: int):
    async with engine.acquire() as conn:
        return await q.get_team(conn, team_id)


async def create_team(engine, actor, data: dict):
    """A new team {name, lead_ids?, member_ids?} (admins; Conflict on a name
    another team has, whatever its case)."""
    require_admin(actor, "create a team")
    try:
        async with unit_of_work(engine, actor=actor) as work:
            await _check_people(work.conn, data)
            team_id = await q.insert_team(work.conn, data["name"])
            await q.set_members(work.conn, team_id, _members(None, data))
            return await q.get_team(work.conn, team_id)
    except psycopg2.errors.UniqueViolation:
        raise _taken(data["name"]) from None


async def update_team(engine, actor, team_id: int, data: dict):
    """Rename it, or set its leads or members (admins)."""
    require_admin(actor, "change a team")
    try:
        async with unit_of_work(engine, actor=actor) as work:
            before = await q.get_team(work.conn, team_id, lock=True)
            await _check_people(work.conn, data)
            if data.get("name", before.name) != before.name:
                await q.rename_team(work.conn, team_id, data["name"])
            if {"lead_ids", "member_ids"} & data.keys():
                await q.set_members(work.conn, team_id, _members(before, data))
            return await q.get_team(work.conn, team_id)
    except psycopg2.errors.UniqueViolation:
        raise _taken(data["name"]) from None


async def delete_team(engine, actor, team_id: int) -> None:
    """Delete a team (admins); Conflict while tasks wait in its queue. Its
    other tasks lose the link. The team's row is locked first: a task being
    queued for it meanwhile commits before, and is counted."""
    require_admin(actor, "delete a team")
    async with unit_of_work(engine, actor=actor) as work:
        await q.get_team(work.conn, team_id, lock=True)
        waiting = await q.count_waiting(work.conn, team_id)
        if waiting:
            raise Conflict(
                f"{waiting} task{'s' if waiting > 1 else ''} wait in the team's "
                "queue: assign or move them first"
            )
        await q.delete_team(work.conn, team_id)
