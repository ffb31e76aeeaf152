"""Logging: one access line per request without query strings (tokens ride there),
and an optional JSON format."""

import json
import logging

from aiohttp.abc import AbstractAccessLogger

from .keys import USER


class AccessLogger(AbstractAccessLogger):
    """`GET /api/v1/tasks/ route=tasks-list 200 3.1ms user=4`. The query string is
    never written: `?access_token=` would put a token in the log."""

    def log(self, request, response, time: float) -> None:
        route = request.match_info.route
        user = request.get(USER)
        self.logger.info(
            "%s %s route=%s %s %.1fms user=%s",
            request.method,
            request.path,
            route.name or "-",
            response.status,
            time * 1000,
            user.id if user is not None else "-",
            extra={
                "method": request.method,
                "path": request.path,
                "route": route.name,
                "status": response.status,
                "duration_ms": round(time * 1000, 2),
                "user_id": user.id if user is not None else None,
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
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line)


def setup_logging(log_format: str) -> None:
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JSONFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
