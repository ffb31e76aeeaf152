"""init_app(settings): contexts, middlewares, apispec, routes. No I/O here."""

import asyncio
import contextlib
import logging
import warnings

from aiohttp import web
from aiohttp_apispec import setup_aiohttp_apispec
from aiohttp_apispec.utils import get_path

from . import __version__, office_calendar
from .auth.tokens import Verified
from .auth.usercache import UserCache
from .background import running
from .config import Settings, smtp_target
from .handlers.metrics import remember_status
from .keys import (
    BROKER,
    CALENDAR,
    DELIVERY,
    ENGINE,
    HUB,
    METRICS,
    SETTINGS,
    SPEC,
    TOKENS,
    USERS,
)
from .live.broker import MemoryBroker
from .live.delivery import DeliveryLog
from .live.hub import Hub
from .live.pgbroker import PostgresBroker
from .mail.transport import Mailer
from .metrics import app_registry, watch_loop_lag
from .routes import setup_routes
from .schemas.common import Body
from .services import emails, reminders
from .services.users import ensure_admin
from .store.db import embedded_url, starting_engine
from .store.migrations import migrate
from .web.auth import auth_middleware
from .web.headers import security_headers
from .web.logs import AccessLogger
from .web.middlewares import error_middleware, metrics_middleware, shield_writes
from .web.spec import complete, name_operations, to_openapi3
from .web.validation import validation_middleware

log = logging.getLogger("leopard")

MAX_BODY = 1024**2
# A client that disconnects cancels its handler: a stream notices at once.
# Writes are shielded from it (see middlewares.shield_writes).
SERVER_KWARGS = {"handler_cancellation": True, "access_log_class": AccessLogger}


async def database_ctx(app: web.Application):
    settings = app[SETTINGS]
    async with embedded_url(settings) as url:
        async with starting_engine(url) as engine:
            await migrate(engine)
            password = await ensure_admin(engine, settings)
            if password:
                print(
                    f"Created user 'admin' with password: {password}\n"
                    "(shown once; change it in the inbox under Change password, "
                    "or with POST /api/v1/users/me/password/)",
                    flush=True,
                )
            app[ENGINE] = engine
            yield


async def streams_ctx(app: web.Application):
    settings, engine = app[SETTINGS], app[ENGINE]
    hub = app[HUB] = Hub(settings.sse_queue_size)
    delivery = app[DELIVERY] = DeliveryLog(engine)
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(running(delivery.run()))
        if settings.broker == "postgres":
            broker = PostgresBroker(hub, engine, engine.dsn, app[USERS])
            await stack.enter_async_context(running(broker.run()))
            # Serve only once listening, or the first events could be missed.
            await asyncio.wait_for(broker.listening.wait(), 15)
        else:
            broker = MemoryBroker(hub, app[USERS])
        app[BROKER] = broker
        yield
    await delivery.flush()


async def loop_lag_ctx(app: web.Application):
    async with running(watch_loop_lag()):
        yield


async def reminders_ctx(app: web.Application):
    async with running(reminders.run(app[ENGINE], app[BROKER], app[SETTINGS])):
        yield


async def emails_ctx(app: web.Application):
    """The email sweeper, when LEOPARD_SMTP_URL is set (unset: no email)."""
    settings = app[SETTINGS]
    target = smtp_target(settings.smtp_url)
    if target is None:
        yield
        return
    log.info("emailing unread notifications via %s", target)
    async with running(emails.run(app[ENGINE], Mailer(target), settings)):
        yield


async def close_streams(app: web.Application) -> None:
    """On shutdown, before aiohttp waits for handlers: end every stream cleanly."""
    app[HUB].close_all("shutdown")


def init_app(settings: Settings) -> web.Application:
    app = web.Application(
        client_max_size=MAX_BODY,
        middlewares=[
            metrics_middleware,
            shield_writes,
            error_middleware,
            auth_middleware,
            validation_middleware,
        ],
    )
    app[SETTINGS] = settings
    app[USERS], app[TOKENS] = UserCache(), Verified()
    app[CALENDAR] = office_calendar.of(settings)
    # The lag watcher last: a context that fails to start (the database)
    # closes the ones started before it without letting them wait for a task.
    app.cleanup_ctx.extend(
        [database_ctx, streams_ctx, reminders_ctx, emails_ctx, loop_lag_ctx]
    )
    app.on_shutdown.append(close_streams)
    # Gauges read the hub and the pool when scraped; both exist once started.
    app[METRICS] = app_registry(lambda: app.get(HUB), lambda: app.get(ENGINE))
    app.on_response_prepare.append(remember_status)
    app.on_response_prepare.append(security_headers)
    setup_routes(app)
    # aiohttp-apispec keeps its state under plain string keys; aiohttp warns.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        _setup_apispec(app)
    return app


def _fresh_marks(app: web.Application) -> None:
    """aiohttp-apispec consumes the marks of the handlers as it reads them (it
    pops their schemas, extends their parameters): each app reads copies of
    the marks as the decorators left them, so that a second app in one process
    (the tests make many) gets the same, complete document."""
    for route in app.router.routes():
        handler = route.handler
        marks = getattr(handler, "__apispec__", None)
        if marks is None:
            continue
        if not hasattr(handler, "__apispec_marks__"):
            handler.__apispec_marks__ = marks
        pristine = handler.__apispec_marks__
        handler.__apispec__ = {
            **pristine,
            "schemas": list(pristine["schemas"]),
            "parameters": [dict(p) for p in pristine["parameters"]],
            "responses": dict(pristine["responses"]),
        }


# The document of a set of routes, built once per process: it depends on the
# routes and their marks alone, and building it takes a tenth of a second of
# marshmallow-to-OpenAPI work, for every app the tests make.
_DOCUMENTS: dict[tuple, tuple[dict, dict]] = {}


def _setup_apispec(app: web.Application) -> None:
    key = tuple((r.method, get_path(r), r.name) for r in app.router.routes())
    if key in _DOCUMENTS:
        # Leopard validates with its own middleware (web.validation), from the
        # handlers' own marks: of aiohttp-apispec's state only the document is read.
        app["swagger_dict"], app[SPEC] = _DOCUMENTS[key]
        return
    _build_apispec(app)
    _DOCUMENTS[key] = app["swagger_dict"], app[SPEC]


def _build_apispec(app: web.Application) -> None:
    _fresh_marks(app)
    # Only the document: its routes and the Swagger UI page are Leopard's own
    # (routes.DOCS), since the UI aiohttp-apispec bundles honours ?url=.
    setup_aiohttp_apispec(
        app,
        in_place=True,
        title="Leopard",
        version=__version__,
        url=None,
        securityDefinitions={
            "bearer": {"type": "apiKey", "name": "Authorization", "in": "header"}
        },
        security=[{"bearer": []}],
    )
    doc = complete(app["swagger_dict"], strict_bodies=[Body])
    named = [(r.method, get_path(r), r.name) for r in app.router.routes() if r.name]
    name_operations(doc, named)
    app[SPEC] = to_openapi3(doc)
