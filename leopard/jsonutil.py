"""JSON for responses and stream frames: datetimes as ISO 8601 with their offset."""

import datetime
import json
from functools import partial

import orjson


def _default(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_slow = partial(json.dumps, default=_default, ensure_ascii=False, separators=(",", ":"))


def dumps(value) -> str:
    try:
        return orjson.dumps(
            value, default=_default, option=orjson.OPT_NON_STR_KEYS
        ).decode()
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, say
        return _slow(value)
