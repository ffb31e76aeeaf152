"""leopard.jsonutil.dumps: orjson's speed with the standard library's output
(compact, UTF-8 as is, datetimes in ISO 8601 with their offset), and the
standard library for what orjson refuses (integers beyond 64 bits)."""

import datetime
import json

import pytest

from leopard.jsonutil import dumps

UTC = datetime.UTC
PARIS = datetime.timezone(datetime.timedelta(hours=1))


def reference(value) -> str:
    def default(v):
        return v.isoformat()

    return json.dumps(value, default=default, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize(
    "value",
    [
        {"id": 7, "read": False, "due_date": None, "meta_info": {"bench": 3}},
        {"created_at": datetime.datetime(2026, 12, 1, 14, 0, tzinfo=UTC)},
        {"at": datetime.datetime(2026, 12, 1, 14, 0, 5, 123456, tzinfo=PARIS)},
        {"day": datetime.date(2026, 12, 24)},
        {"title": "Zoë's visa – 482 ✓", "message": 'línea\nnueva "quoted"'},
        {"nested": [1, 2.5, {"x": [True, None]}], "empty": {}},
        {"big": 2**63 - 1, "negative": -(2**63)},
        {"huge": 2**70},  # beyond orjson: the standard library writes it
        {1: "an int key", "s": "a str key"},
    ],
)
def test_the_same_text_as_the_standard_library(value):
    assert dumps(value) == reference(value)


def test_a_value_json_cannot_write_is_a_type_error():
    with pytest.raises(TypeError):
        dumps({"x": object()})
