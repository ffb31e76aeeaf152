"""Every typed application key in one place (aiohttp "No Singletons Please")."""

from aiohttp import web
from aiopg.sa import Engine

from .config import Settings
from .hub import Hub

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", Engine)
HUB = web.AppKey("hub", Hub)

# Per-request values set by the middlewares.
USER = web.RequestKey("user", object)  # the authenticated users row
CLAIMS = web.RequestKey("claims", dict)  # the verified token claims
DATA = web.RequestKey("data", dict)  # the validated JSON body
QUERY = web.RequestKey("query", dict)  # the validated query string
