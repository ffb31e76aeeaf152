from datetime import UTC

from marshmallow import EXCLUDE, RAISE, Schema, fields, post_load, validate

MAX_LIMIT = 200
MAX_ID = 2**63 - 1  # bigint: a larger id is no row, not a database error
ID = validate.Range(min=1, max=MAX_ID)

# PostgreSQL text cannot hold NUL, so a request carrying one anywhere is
# malformed (400). web/spec.py gives this pattern to every string of a
# request that has no stricter pattern, enum or format of its own.
NO_NUL = r"^[^\x00]*$"
# Whitespace as Python's and JavaScript's regular expressions each know it
# (their \s differ), spelt out so that the spec's pattern and the server agree.
_SPACE = (
    r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000\ufeff"
)
NOT_BLANK = validate.Regexp(
    rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$", error="Must not be blank."
)


class Flag(fields.Boolean):
    """true or false, nothing else ("yes", 1 and "on" are refused): what the
    spec's `boolean` says."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Body(Schema):
    """A JSON request body: unknown fields are an error, not silently dropped."""

    class Meta:
        unknown = RAISE


class Query(Schema):
    """A query string: unknown parameters are ignored (cache busters and the like)."""

    class Meta:
        unknown = EXCLUDE


class PageQuery(Query):
    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": f"page size, 1–{MAX_LIMIT} (larger is cut to it)"},
    )
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID))

    @post_load
    def clamp(self, data, **kwargs):
        data["limit"] = min(data["limit"], MAX_LIMIT)
        return data


class Moment(fields.AwareDateTime):
    """ISO 8601 with a UTC offset, kept in UTC: PostgreSQL refuses offsets
    beyond ±15:59 that Python accepts, and UTC is what the API answers."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise self.make_error("invalid", input=value, obj_type="datetime") from None


class ErrorDetail(Schema):
    status = fields.Integer(required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), required=False
    )


class Error(Schema):
    error = fields.Nested(ErrorDetail, required=True)


class Health(Schema):
    status = fields.String(
        required=True, validate=validate.OneOf(["ok", "unavailable"])
    )
    database = fields.String(
        validate=validate.OneOf(["up", "down"]), metadata={"description": "/readyz"}
    )


def comma_list(choices) -> dict:
    """The OpenAPI of `name=A,B`: an array of some of choices, sent comma
    separated (web/spec.py gives array parameters `explode: false`)."""
    items = {"type": "string", "enum": list(choices)}
    return {"type": "array", "items": items, "minItems": 1}


# A user in a query: an id, `me` (the caller) or `none` (nobody).
USER_REF = {
    "x-anyOf": [
        {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        {"type": "string", "enum": ["me", "none"]},
    ]
}

# An email address, or "" (optional addresses are stored empty); Swagger 2.0
# has no anyOf, so it travels as x-anyOf (web/spec.py lifts it in 3.0).
EMAIL_OR_EMPTY = {
    "x-anyOf": [
        {"type": "string", "format": "email"},
        {"type": "string", "maxLength": 0},
    ]
}


def ids_list(**kwargs):
    return fields.List(fields.Integer(strict=True), **kwargs)
