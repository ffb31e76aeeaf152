"""Whether the ids a task change names exist (who may change it:
permissions.py)."""

from ..errors import Invalid
from ..queries import tasks as q
from ..queries import teams
from ..queries.users import active_user_ids


def assignee_error(assignee) -> dict:
    return {"assigned_to": [f"no active user with id {assignee}"]}


async def references(conn, before, changes: dict, *, check_assignee=True) -> dict:
    """The changes, checked against the database; Invalid names each bad field.

    A task about a visa application is about that application's client: the
    client is filled in when the task has none, and another one is refused.
    With check_assignee False the caller checks the assignee itself (the task
    insert does, in the same statement), unless another field is bad: then
    every bad field is named here. A team is kept from deletion until commit.
    """
    changes, errors = dict(changes), {}
    client = changes.get("client_id", before.client_id if before else None)
    if changes.get("client_id") is not None and not await q.client_exists(conn, client):
        errors["client_id"] = [f"no client with id {client}"]
    application = changes.get(
        "visa_application_id", before.visa_application_id if before else None
    )
    if application is not None and (
        {"client_id", "visa_application_id"} & changes.keys()
    ):
        owner = await q.client_of_application(conn, application)
        if owner is None:
            errors["visa_application_id"] = [
                f"no visa application with id {application}"
            ]
        elif client is None and "client_id" not in changes:
            changes["client_id"] = owner
        elif client is None:
            errors["client_id"] = [f"the visa application's client ({owner}) is needed"]
        elif client != owner and "client_id" not in errors:
            errors["visa_application_id"] = [
                f"visa application {application} belongs to client {owner}, "
                f"not to client {client}"
            ]
    team = changes.get("assigned_team")
    if team is not None and not await teams.keep_team(conn, team):
        errors["assigned_team"] = [f"no team with id {team}"]
    assignee = changes.get("assigned_to")
    if assignee is not None and (check_assignee or errors):
        if not await active_user_ids(conn, [assignee]):
            errors = {**assignee_error(assignee), **errors}
    if errors:
        raise Invalid("invalid field values", errors)
    return changes
