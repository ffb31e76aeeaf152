"""Every typed application key in one place (aiohttp "No Singletons Please")."""

from aiohttp import web
from aiopg.sa import Engine
from prometheus_client import CollectorRegistry

from .auth.tokens import Verified
from .auth.usercache import UserCache
from .config import Settings
from .live.broker import Broker
from .live.delivery import DeliveryLog
from .live.hub import Hub
from .office_calendar import OfficeCalendar

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", Engine)
HUB = web.AppKey("hub", Hub)
BROKER = web.AppKey("broker", Broker)  # MemoryBroker or PostgresBroker
DELIVERY = web.AppKey("delivery", DeliveryLog)
METRICS = web.AppKey("metrics", CollectorRegistry)  # the app's own gauges
USERS = web.AppKey("users", UserCache)  # who tokens belong to, for a few seconds
TOKENS = web.AppKey("tokens", Verified)  # tokens whose signature was checked
SPEC = web.AppKey("spec", dict)  # the OpenAPI 3.0 document, built at start
CALENDAR = web.AppKey("calendar", OfficeCalendar)  # from the settings, at start

# Per-request values set by the middlewares.
USER = web.RequestKey("user", object)  # the authenticated users row
CLAIMS = web.RequestKey("claims", dict)  # the verified token claims
DATA = web.RequestKey("data", dict)  # the validated JSON body
QUERY = web.RequestKey("query", dict)  # the validated query string
STATUS = web.RequestKey("status", int)  # the status sent, once headers are out
