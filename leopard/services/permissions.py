"""Who may do what: every permission check of the services in one place.

Each takes the acting user (a users row) and raises Forbidden, which the error
middleware turns into a 403."""

from ..errors import Forbidden


def require_admin(actor, action: str = "do this") -> None:
    if actor.role != "admin":
        raise Forbidden(f"only an admin may {action}")


def may_change_task(actor, task) -> bool:
    return actor.role == "admin" or actor.id in (task.created_by, task.assigned_to)


def require_task_change(actor, task) -> None:
    if not may_change_task(actor, task):
        raise Forbidden("only the creator, the assignee or an admin may change a task")


def require_task_delete(actor, task) -> None:
    if actor.role != "admin" and actor.id != task.created_by:
        raise Forbidden("only the creator or an admin may delete a task")
