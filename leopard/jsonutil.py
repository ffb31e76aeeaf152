"""JSON for responses and stream frames: datetimes as ISO 8601 with their offset."""

import datetime
import json
from functools import partial


def _default(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


dumps = partial(json.dumps, default=_default, ensure_ascii=False, separators=(",", ":"))
