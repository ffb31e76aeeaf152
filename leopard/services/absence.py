"""Absence with a delegate: while a user is away (starts_at <= now < ends_at,
asked of the database at the moment), what is newly given to them goes to
their delegate, and their reminders are copied to the delegate.

`resolve_assignee` / `resolve_assignees` are how any assignment (a task
created, assigned or changed, a template's task) finds who really gets it."""

from dataclasses import replace
from datetime import UTC, datetime

from ..errors import Invalid, NotFound
from ..queries import absences as q
from ..queries.users import active_user_ids, get_user
from .notifications import NewNotification
from .permissions import require_admin

# Hand-ons a chain of delegates may take: A away → B away → … → the sixth
# person is one too many, and the task stays with A.
MAX_HANDS = 5
COPIED = ("TASK_DUE_SOON", "TASK_OVERDUE", "DOCUMENT_EXPIRING", "DOCUMENT_EXPIRED")


def follow(chain: list[tuple[int, bool]]) -> tuple[int, int | None]:
    """(who gets it, delegated_from) of a chain [(user, active), (their
    delegate, active), …] that ends with the first one not away. A chain that
    comes back to someone already passed, reaches an inactive user or needs
    more than MAX_HANDS hand-ons leaves it with the user first named."""
    first, active = chain[0]
    if len(chain) == 1 or not active or len(chain) - 1 > MAX_HANDS:
        return first, None
    passed = {first}
    for user, active in chain[1:]:
        if user in passed or not active:
            return first, None
        passed.add(user)
    return chain[-1][0], first


async def resolve_assignees(conn, user_ids) -> dict[int, tuple[int, int | None]]:
    """{user: (who gets what is given to them now, delegated_from or None)},
    in the caller's transaction, with one query."""
    wanted = sorted(set(user_ids) - {None})
    if not wanted:
        return {}
    chains = await q.chains(conn, wanted, MAX_HANDS)
    return {user: follow(chains.get(user, [(user, True)])) for user in wanted}


async def resolve_assignee(conn, user_id: int) -> tuple[int, int | None]:
    """(who gets a task given to user_id now, delegated_from): the user and
    None unless they are away, else the end of their chain of delegates and
    user_id."""
    return (await resolve_assignees(conn, [user_id]))[user_id]


async def copies_for_delegates(conn, items: list[NewNotification]) -> list:
    """Copies of the reminders among items for the delegates of recipients who
    are away, each with meta_info.on_behalf_of naming the one it copies."""
    reminders = [i for i in items if i.notification_type in COPIED]
    resolved = await resolve_assignees(conn, {i.recipient for i in reminders})
    copies = []
    for item in reminders:
        delegate, away = resolved[item.recipient]
        if away is not None:
            meta = {**item.meta_info, "on_behalf_of": item.recipient}
            message = f"{item.message} (A copy: you stand in while they are away.)"
            copies.append(
                replace(item, recipient=delegate, meta_info=meta, message=message)
            )
    return copies


# --- the absence itself: the user's own, or anyone's for an admin ---


def _may(actor, user_id: int) -> None:
    if actor.id != user_id:
        require_admin(actor, "set someone else's absence")


async def _user(conn, user_id: int) -> None:
    if await get_user(conn, user_id) is None:
        raise NotFound(f"no user with id {user_id}")


async def get_absence(engine, actor, user_id: int):
    """The user's absence, current or upcoming, or None."""
    _may(actor, user_id)
    async with engine.acquire() as conn:
        await _user(conn, user_id)
        return await q.get_absence(conn, user_id)


async def set_absence(engine, actor, user_id: int, data: dict):
    """Replace the user's absence; Invalid (nothing stored) when it has ended
    already or the delegate is the user, unknown or inactive."""
    _may(actor, user_id)
    errors = {}
    if data["ends_at"] <= datetime.now(UTC):
        errors["ends_at"] = ["The absence has ended already."]
    delegate = data["delegate_id"]
    async with engine.acquire() as conn:
        async with conn.begin():
            await _user(conn, user_id)
            if delegate == user_id:
                errors["delegate_id"] = ["The delegate must be someone else."]
            elif not await active_user_ids(conn, [delegate]):
                errors["delegate_id"] = [f"no active user with id {delegate}"]
            if errors:
                raise Invalid("invalid field values", errors)
            return await q.put_absence(conn, user_id, **data)


async def end_absence(engine, actor, user_id: int) -> None:
    """No absence for the user any more (none is no error)."""
    _may(actor, user_id)
    async with engine.acquire() as conn:
        await _user(conn, user_id)
        await q.delete_absence(conn, user_id)
