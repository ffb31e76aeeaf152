"""The whole URL table. Every path has a trailing slash; the same path without it
reaches the same handler through an undocumented alias (no redirect, so a POST
keeps its body)."""

from aiohttp import web

from .handlers import notifications as notes
from .handlers import ops, stream, users

ID = r"{id:\d+}"
N = "/api/v1/notifications/"

API = [
    ("POST", "/api/v1/auth/token/", users.token, "auth-token"),
    ("GET", "/api/v1/users/me/", users.me, "users-me"),
    ("GET", "/api/v1/users/", users.user_list, "users-list"),
    ("POST", "/api/v1/users/", users.user_create, "users-create"),
    ("PATCH", f"/api/v1/users/{ID}/", users.user_update, "users-update"),
    ("GET", "/api/v1/notifications/", notes.notification_list, "notifications-list"),
    (
        "POST",
        "/api/v1/notifications/",
        notes.notification_create,
        "notifications-create",
    ),
    ("GET", f"{N}unread-count/", notes.unread_count, "notifications-unread-count"),
    ("POST", f"{N}bulk/", notes.notification_bulk, "notifications-bulk"),
    ("GET", f"{N}stream/", stream.stream, "notifications-stream"),
    ("POST", f"{N}stream/ticket/", stream.stream_ticket, "notifications-stream-ticket"),
    ("GET", f"{N}{ID}/", notes.notification_get, "notifications-get"),
    ("DELETE", f"{N}{ID}/", notes.notification_delete, "notifications-delete"),
    ("POST", f"{N}{ID}/read/", notes.notification_read, "notifications-read"),
    ("POST", f"{N}{ID}/unread/", notes.notification_unread, "notifications-unread"),
    # --- tasks and comments (issue 4) ---
    # --- clients and visa applications (issue 5) ---
]

OPS = [
    ("GET", "/healthz", ops.healthz, "healthz"),
    ("GET", "/readyz", ops.readyz, "readyz"),
]


def _alias(handler):
    """The handler under another route: same marks, but absent from the spec."""

    async def alias(request):
        return await handler(request)

    for name, value in vars(handler).items():
        if name != "__apispec__":
            setattr(alias, name, value)
    return alias


def setup_routes(app: web.Application) -> None:
    for method, path, handler, name in API:
        app.router.add_route(method, path, handler, name=name)
        app.router.add_route(method, path.rstrip("/"), _alias(handler))
    for method, path, handler, name in OPS:
        app.router.add_route(method, path, handler, name=name)
