from marshmallow import fields, validate

from ..auth.passwords import MAX_LENGTH, MIN_LENGTH
from .absence import Absence
from .common import EMAIL_OR_EMPTY, Body, Flag, PageQuery, Schema

USERNAME = validate.Regexp(
    r"^[A-Za-z0-9_.-]{1,150}$",
    error="1–150 letters, digits, '.', '_' or '-'.",
)
ROLE = validate.OneOf(["admin", "staff"])
PASSWORD = validate.Length(min=MIN_LENGTH, max=MAX_LENGTH)


class TokenRequest(Body):
    username = fields.String(required=True, validate=validate.Length(max=150))
    password = fields.String(required=True, validate=validate.Length(max=1024))


class TokenResponse(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "seconds"})
    refresh_token = fields.String(
        required=True,
        metadata={"description": "opaque; use once at /api/v1/auth/token/refresh/"},
    )
    refresh_expires_in = fields.Integer(
        required=True, metadata={"description": "seconds"}
    )


class User(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    full_name = fields.String(required=True)
    email = fields.String(
        required=True,
        metadata={"description": "an email address, or empty", **EMAIL_OR_EMPTY},
    )
    role = fields.String(required=True, validate=ROLE)
    is_active = fields.Boolean(required=True)


class ListedUser(User):
    absence = fields.Nested(
        Absence,
        required=True,
        allow_none=True,
        metadata={"description": "current or upcoming, else null"},
    )


class UserList(Schema):
    results = fields.List(fields.Nested(ListedUser), required=True)
    count = fields.Integer(required=True)


class UserListQuery(PageQuery):
    pass


class UserCreate(Body):
    username = fields.String(required=True, validate=USERNAME)
    password = fields.String(required=True, validate=PASSWORD)
    full_name = fields.String(validate=validate.Length(max=200))
    email = fields.Email(validate=validate.Length(max=254))
    role = fields.String(validate=ROLE)


class UserUpdate(Body):
    full_name = fields.String(validate=validate.Length(max=200))
    email = fields.Email(validate=validate.Length(max=254))
    role = fields.String(validate=ROLE)
    is_active = Flag()
    password = fields.String(validate=PASSWORD)
