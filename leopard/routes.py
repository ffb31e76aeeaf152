"""The whole URL table. Every API path has a trailing slash; the same path
without it (and /healthz/, /readyz/, /metrics/, /api/docs) reaches the same
handler through an undocumented alias (no redirect, so a POST keeps its body).
HEAD is answered wherever GET is, by the same handler."""

from aiohttp import web

from .handlers import (
    absence,
    auth,
    calendar,
    calendar_feed,
    clients,
    docs,
    documents,
    history,
    inbox,
    metrics,
    ops,
    preferences,
    stream,
    task_queue,
    tasks,
    teams,
    templates,
    users,
)
from .handlers import notifications as notes
from .handlers import task_comments as comments
from .handlers import visa_applications as visas

# 18 digits at most: a larger id is no row of a bigint column, so it is a
# 404 here rather than a database error in each handler.
ID = r"{id:\d{1,18}}"
N = "/api/v1/notifications/"
C = "/api/v1/clients/"
V = "/api/v1/visa-applications/"
D = "/api/v1/documents/"
U = "/api/v1/users/"
TM = "/api/v1/teams/"
TT = "/api/v1/task-templates/"
# The feed's secret as new_feed makes it (URL-safe base64); anything else is
# a 404 before any lookup.
FEED_SECRET = r"{secret:[A-Za-z0-9_-]{20,100}}"
CAL = "/api/v1/calendar/"

API = [
    ("POST", "/api/v1/auth/token/", auth.token, "auth-token"),
    ("POST", "/api/v1/auth/token/refresh/", auth.refresh, "auth-token-refresh"),
    ("POST", "/api/v1/auth/logout/", auth.logout, "auth-logout"),
    ("GET", "/api/v1/users/me/", users.me, "users-me"),
    (
        "GET",
        "/api/v1/users/me/preferences/",
        preferences.preferences_get,
        "users-me-preferences",
    ),
    (
        "PATCH",
        "/api/v1/users/me/preferences/",
        preferences.preferences_update,
        "users-me-preferences-update",
    ),
    ("POST", "/api/v1/users/me/password/", auth.password_change, "users-me-password"),
    ("GET", "/api/v1/users/", users.user_list, "users-list"),
    ("POST", "/api/v1/users/", users.user_create, "users-create"),
    ("PATCH", f"/api/v1/users/{ID}/", users.user_update, "users-update"),
    # --- absence, the caller's own and (admins) anyone's ---
    ("GET", f"{U}me/absence/", absence.absence_get, "users-me-absence"),
    ("PUT", f"{U}me/absence/", absence.absence_set, "users-me-absence-set"),
    ("DELETE", f"{U}me/absence/", absence.absence_delete, "users-me-absence-delete"),
    ("GET", f"{U}{ID}/absence/", absence.absence_get, "users-absence"),
    ("PUT", f"{U}{ID}/absence/", absence.absence_set, "users-absence-set"),
    ("DELETE", f"{U}{ID}/absence/", absence.absence_delete, "users-absence-delete"),
    # --- teams ---
    ("GET", TM, teams.team_list, "teams-list"),
    ("POST", TM, teams.team_create, "teams-create"),
    ("GET", f"{TM}{ID}/", teams.team_get, "teams-get"),
    ("PATCH", f"{TM}{ID}/", teams.team_update, "teams-update"),
    ("DELETE", f"{TM}{ID}/", teams.team_delete, "teams-delete"),
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
    (
        "DELETE",
        f"{N}stream/ticket/",
        stream.stream_ticket_clear,
        "notifications-stream-ticket-clear",
    ),
    ("GET", f"{N}{ID}/", notes.notification_get, "notifications-get"),
    ("DELETE", f"{N}{ID}/", notes.notification_delete, "notifications-delete"),
    ("POST", f"{N}{ID}/read/", notes.notification_read, "notifications-read"),
    ("POST", f"{N}{ID}/unread/", notes.notification_unread, "notifications-unread"),
    # --- tasks and comments ---
    ("GET", "/api/v1/tasks/", tasks.task_list, "tasks-list"),
    ("POST", "/api/v1/tasks/", tasks.task_create, "tasks-create"),
    ("GET", f"/api/v1/tasks/{ID}/", tasks.task_get, "tasks-get"),
    ("PATCH", f"/api/v1/tasks/{ID}/", tasks.task_update, "tasks-update"),
    ("DELETE", f"/api/v1/tasks/{ID}/", tasks.task_delete, "tasks-delete"),
    ("POST", f"/api/v1/tasks/{ID}/assign/", tasks.task_assign, "tasks-assign"),
    ("POST", f"/api/v1/tasks/{ID}/claim/", task_queue.task_claim, "tasks-claim"),
    ("POST", f"/api/v1/tasks/{ID}/release/", task_queue.task_release, "tasks-release"),
    (
        "GET",
        f"/api/v1/tasks/{ID}/comments/",
        comments.comment_list,
        "task-comments-list",
    ),
    (
        "POST",
        f"/api/v1/tasks/{ID}/comments/",
        comments.comment_create,
        "task-comments-create",
    ),
    # --- clients and visa applications ---
    ("GET", C, clients.client_list, "clients-list"),
    ("POST", C, clients.client_create, "clients-create"),
    ("GET", f"{C}{ID}/", clients.client_get, "clients-get"),
    ("PATCH", f"{C}{ID}/", clients.client_update, "clients-update"),
    ("DELETE", f"{C}{ID}/", clients.client_delete, "clients-delete"),
    ("GET", V, visas.visa_list, "visa-applications-list"),
    ("POST", V, visas.visa_create, "visa-applications-create"),
    ("GET", f"{V}{ID}/", visas.visa_get, "visa-applications-get"),
    ("PATCH", f"{V}{ID}/", visas.visa_update, "visa-applications-update"),
    ("DELETE", f"{V}{ID}/", visas.visa_delete, "visa-applications-delete"),
    # --- task templates ---
    ("GET", TT, templates.template_list, "task-templates-list"),
    ("POST", TT, templates.template_create, "task-templates-create"),
    ("GET", f"{TT}{ID}/", templates.template_get, "task-templates-get"),
    ("PATCH", f"{TT}{ID}/", templates.template_update, "task-templates-update"),
    ("DELETE", f"{TT}{ID}/", templates.template_delete, "task-templates-delete"),
    # --- a case's history ---
    ("GET", f"{C}{ID}/history/", history.client_history, "clients-history"),
    ("GET", f"{V}{ID}/history/", history.visa_history, "visa-applications-history"),
    ("GET", f"{D}{ID}/history/", history.document_history, "documents-history"),
    ("GET", f"/api/v1/tasks/{ID}/history/", history.task_history, "tasks-history"),
    # --- documents and the office calendar ---
    ("GET", D, documents.document_list, "documents-list"),
    ("POST", D, documents.document_create, "documents-create"),
    ("GET", f"{D}{ID}/", documents.document_get, "documents-get"),
    ("PATCH", f"{D}{ID}/", documents.document_update, "documents-update"),
    ("DELETE", f"{D}{ID}/", documents.document_delete, "documents-delete"),
    ("GET", CAL, calendar.calendar_get, "calendar"),
    ("GET", f"{CAL}days/", calendar.calendar_days, "calendar-days"),
    (
        "GET",
        f"{CAL}business-days/",
        calendar.calendar_business_day,
        "calendar-business-days",
    ),
    ("GET", f"{CAL}closures/", calendar.closure_list, "calendar-closures-list"),
    ("POST", f"{CAL}closures/", calendar.closure_create, "calendar-closures-create"),
    (
        "DELETE",
        f"{CAL}closures/{ID}/",
        calendar.closure_delete,
        "calendar-closures-delete",
    ),
    (
        "POST",
        "/api/v1/users/me/calendar-feed/",
        calendar_feed.feed_create,
        "users-me-calendar-feed",
    ),
    (
        "DELETE",
        "/api/v1/users/me/calendar-feed/",
        calendar_feed.feed_delete,
        "users-me-calendar-feed-delete",
    ),
]

OPS = [
    ("GET", "/healthz", ops.healthz, "healthz"),
    ("GET", "/readyz", ops.readyz, "readyz"),
    ("GET", "/metrics", metrics.metrics, "metrics"),
]

# --- the API's documentation: Swagger UI and the document, no token ---
DOCS = [
    ("GET", "/api/docs/", docs.page, "swagger.docs"),
    ("GET", "/api/docs/swagger.json", docs.spec, "swagger.spec"),
]

# A file a calendar program polls: it keeps its one name (no twin), no token.
FILES = [
    ("GET", f"{CAL}feed/{FEED_SECRET}.ics", calendar_feed.feed_get, "calendar-feed"),
]

# --- the web inbox: outside /api/v1/, no token ---
WEB = [
    ("GET", "/", inbox.index, "inbox"),
    ("GET", "/static/{name}", inbox.asset, "inbox-asset"),
    ("GET", "/api/docs/static/{name}", docs.asset, "swagger.static"),
]


def _alias(handler, name):
    """The handler under another route: same marks, but absent from the spec.
    It reports its route's name to the logs and metrics."""

    async def alias(request):
        return await handler(request)

    alias.route_name = name
    for attr, value in vars(handler).items():
        if attr != "__apispec__":
            setattr(alias, attr, value)
    return alias


def twin(path: str) -> str:
    """The same path with its trailing slash, or without it."""
    return path[:-1] if path.endswith("/") else path + "/"


def _add(app: web.Application, method, path, handler, name=None) -> None:
    app.router.add_route(method, path, handler, name=name)
    if method == "GET":  # aiohttp sends HEAD's answer without its body
        app.router.add_route("HEAD", path, _alias(handler, name))


def setup_routes(app: web.Application) -> None:
    for method, path, handler, name in API + OPS + DOCS:
        _add(app, method, path, handler, name)
        _add(app, method, twin(path), _alias(handler, name))
    for method, path, handler, name in FILES + WEB:
        _add(app, method, path, handler, name)
