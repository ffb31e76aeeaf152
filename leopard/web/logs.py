"""Logging: one access line per request without query strings (tokens ride there),
an optional JSON format, and a filter that keeps credentials out of every line
and control characters out of every value a line quotes."""

import json
import logging
import re
from collections.abc import Mapping
from numbers import Number

from aiohttp.abc import AbstractAccessLogger
from aiohttp.http_exceptions import HttpProcessingError

from ..keys import USER
from ..logtext import Block, printable

# Credentials as they could appear in a message or a traceback: a bearer token, a
# query or cookie token, any JWT, a password or refresh token field of a body.
SECRET = re.compile(
    r"(?i)(bearer\s+|access_token=|leopard_stream=|leopard_refresh="
    r"|\"(?:current_|new_)?password\"\s*:\s*\"|\"refresh_token\"\s*:\s*\")"
    r"[^\s&;\"',]+"
    r"|eyJ[\w-]+\.[\w-]+\.[\w-]*"
    # A calendar feed's secret is its URL's path.
    r"|(/calendar/feed/)[\w-]+"
)


def redact(text: str) -> str:
    return SECRET.sub(lambda m: (m.group(1) or m.group(2) or "") + "[redacted]", text)


# Set on a record whose values were made printable and redacted where it was
# made (the access log's line, one per request): the filter passes it as is.
ESCAPED = "leopard_escaped"


class _Printable:
    """A logged value, shown with its control characters escaped by %s and %r
    alike (a str's repr escapes them already; another object's may not)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __str__(self) -> str:
        return printable(str(self.value))

    def __repr__(self) -> str:
        return printable(repr(self.value))


def _printable(value):
    # Numbers stay numbers for %d and %.1f; a Block escapes its own lines.
    if value is None or isinstance(value, Number | Block):
        return value
    return _Printable(value)


def message_of(record: logging.LogRecord) -> str:
    """The record's message with every value it quotes made printable. The
    format string is Leopard's own (its line breaks are meant); the values
    are where a client's text comes in: a path, a username, a query."""
    msg, args = record.msg, record.args
    if not isinstance(msg, str):  # log.info(obj): a value rather than a format
        msg = printable(str(msg))
    if not args:
        return msg
    if isinstance(args, Mapping):
        return msg % {k: _printable(v) for k, v in args.items()}
    return msg % tuple(_printable(v) for v in args)


class RedactFilter(logging.Filter):
    """On the handler, so it sees every logger's records, aiohttp's included.

    aiohttp logs a malformed request with a traceback whose message quotes the
    raw bytes around the fault: the request line (`?access_token=`) or a header
    (`Authorization`). Such a line becomes one warning without the bytes.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.__dict__.get(ESCAPED) is True:  # the access log's own line
            return True
        try:
            self._scrub(record)
        except Exception:  # a filter that raises would break the caller's code
            record.msg, record.args, record.exc_info = "(unloggable record)", (), None
        return True

    def _scrub(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            reason = next(iter((exc.message or "").splitlines()), "").rstrip(":")
            record.msg, record.args = "bad HTTP request: %s", (reason,)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg, record.args = redact(message_of(record)), ()
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text)


def route_name(request) -> str:
    """The route's name (a slashless alias reports the route it stands for), or
    "unmatched": never the raw path, which would make one series per id."""
    try:
        match = request.match_info
    except (AttributeError, AssertionError):  # the request did not parse
        return "unmatched"
    if match is None:
        return "unmatched"
    return match.route.name or getattr(match.handler, "route_name", "unmatched")


class AccessLogger(AbstractAccessLogger):
    """`GET /api/v1/tasks/ route=tasks-list 200 3.1ms user=4`. The query string is
    never written: `?access_token=` would put a token in the log. The path is
    the decoded one, so `%0d%0a` in a URL is a CR LF here: written escaped.
    Every value is safe as it is written here (the method is an HTTP token,
    the path escaped and redacted, the rest numbers or the route's own name),
    so the line skips the filter's second pass over it."""

    def log(self, request, response, time: float) -> None:
        route = route_name(request)
        path = redact(printable(request.path))
        user = request.get(USER)
        user_id = user.id if user is not None else None
        self.logger.info(
            "%s %s route=%s %s %.1fms user=%s",
            request.method,
            path,
            route,
            response.status,
            time * 1000,
            user_id if user_id is not None else "-",
            extra={
                "method": request.method,
                "path": path,
                "route": route,
                "status": response.status,
                "duration_ms": round(time * 1000, 2),
                "user_id": user_id,
                ESCAPED: True,
            },
        )


class JSONFormatter(logging.Formatter):
    FIELDS = ("method", "path", "route", "status", "duration_ms", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(line)


def make_handler(log_format: str, stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    if log_format == "json":
        handler.setFormatter(JSONFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
    handler.addFilter(RedactFilter())
    return handler


def setup_logging(log_format: str) -> None:
    # No line shows a process, thread or source line, and every request writes
    # one: don't collect them (the logging HOWTO's "Optimization").
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None
    logging.basicConfig(
        level=logging.INFO, handlers=[make_handler(log_format)], force=True
    )
