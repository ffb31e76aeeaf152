from marshmallow import fields, validate

from .common import EMAIL_OR_EMPTY, ID, NOT_BLANK, Body, PageQuery, Schema

_EMAIL = validate.Email()


def email_or_empty(value: str) -> None:
    if value:
        _EMAIL(value)


NAME = [validate.Length(min=1, max=100), NOT_BLANK]
EMAIL = [validate.Length(max=254), email_or_empty]
PHONE = validate.Length(max=50)
NOTES = validate.Length(max=10_000)


def row_id(**kwargs):
    """An id in a body: a JSON integer that fits the bigint column."""
    return fields.Integer(strict=True, validate=ID, **kwargs)


class Client(Schema):
    id = fields.Integer(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    email = fields.String(
        required=True,
        metadata={"description": "an email address, or empty", **EMAIL_OR_EMPTY},
    )
    phone = fields.String(required=True)
    notes = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ClientList(Schema):
    results = fields.List(fields.Nested(Client), required=True)
    count = fields.Integer(required=True, metadata={"description": "matching q"})


class ClientListQuery(PageQuery):
    q = fields.String(
        validate=validate.Length(max=200),
        metadata={
            "description": "case-insensitive text in the first, last or full name,"
            " or the email"
        },
    )


class ClientUpdate(Body):
    first_name = fields.String(validate=NAME, metadata={"description": "1–100"})
    last_name = fields.String(validate=NAME, metadata={"description": "1–100"})
    email = fields.String(
        validate=EMAIL,
        metadata={"description": "an email address, or empty", **EMAIL_OR_EMPTY},
    )
    phone = fields.String(validate=PHONE, metadata={"description": "at most 50"})
    notes = fields.String(validate=NOTES, metadata={"description": "at most 10,000"})


class ClientCreate(ClientUpdate):
    first_name = fields.String(
        required=True, validate=NAME, metadata={"description": "1–100"}
    )
    last_name = fields.String(
        required=True, validate=NAME, metadata={"description": "1–100"}
    )
