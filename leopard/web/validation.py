"""Request validation from aiohttp-apispec's marks: the body and the query are
loaded by the handler's schemas before it runs."""

import json

from aiohttp import web
from marshmallow import ValidationError

from ..errors import BadQuery, BadRequest, Invalid
from ..keys import DATA, QUERY


def _storable(data) -> bool:
    """No NUL and no unpaired surrogate in any key or string: PostgreSQL text
    takes neither, so such input is malformed here, not a database error later."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                return False
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


class _NotFinite(ValueError):
    pass


def _refuse_constant(name: str):
    raise _NotFinite(name)


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):  # 1e400: too large for a float
        raise _NotFinite(text)
    return value


# Made once: json.loads with hooks builds a decoder on every call.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite)


def _loads(raw: bytes):
    """JSON as RFC 8259 has it: Python's json also reads NaN and Infinity, and
    turns 1e400 into inf, none of which PostgreSQL's jsonb (or any other JSON
    reader) takes. Bytes are read as json.loads reads them."""
    return _DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))


async def _json_body(request):
    if not request.can_read_body:
        raise BadRequest("a JSON body is required")
    raw = await request.read()
    try:
        data = _loads(raw)
    except _NotFinite as exc:
        raise BadRequest(
            f"the body is not valid JSON: {exc} is not a finite number"
        ) from None
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("the body is not valid JSON") from None
    except RecursionError:
        raise BadRequest("the body is nested too deeply") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    if not _storable(data):
        raise BadRequest("text may not contain NUL characters or unpaired surrogates")
    return data


def _messages(err: ValidationError) -> dict:
    messages = err.messages if isinstance(err.messages, dict) else {"_": err.messages}
    return {
        k: v if isinstance(v, list) else [json.dumps(v)] for k, v in messages.items()
    }


@web.middleware
async def validation_middleware(request, handler):
    """Load the body (→ request[DATA]) and query (→ request[QUERY]) by schema.

    A body that is not a JSON object is 400; field values a schema refuses are 422;
    a query a schema refuses is 400 (the query itself is malformed).
    """
    for spec in getattr(request.match_info.handler, "__schemas__", ()):
        schema, locations = spec["schema"], spec["locations"] or ["json"]
        if "json" in locations:
            if not request.can_read_body and getattr(schema, "body_optional", False):
                request[DATA] = {}
                continue
            try:
                request[DATA] = schema.load(await _json_body(request))
            except ValidationError as err:
                raise Invalid("invalid field values", _messages(err)) from None
        else:
            query = dict(request.query)
            if any("\x00" in value for value in query.values()):
                raise BadQuery("the query may not contain NUL characters")
            try:
                request[QUERY] = schema.load(query)
            except ValidationError as err:
                raise BadQuery("invalid query parameters", _messages(err)) from None
    return await handler(request)
