"""A client's documents (passports, visas, permits) and their expiry."""

from marshmallow import ValidationError, fields, validate, validates_schema

from ..vocabulary import DOCUMENT_KINDS, DOCUMENT_ORDERINGS
from .common import ID, USER_REF, Body, PageQuery, Schema
from .task_filters import UserRef

NUMBER = {"description": "personal data: never in a notification, email or feed"}


def _id(**kwargs):
    return fields.Integer(strict=True, validate=ID, **kwargs)


class Document(Schema):
    id = fields.Integer(required=True)
    client_id = fields.Integer(required=True)
    visa_application_id = fields.Integer(required=True, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    number = fields.String(required=True, metadata=NUMBER)
    issued_on = fields.Date(required=True, allow_none=True)
    expires_on = fields.Date(required=True, allow_none=True)
    responsible_id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "who is told as it nears expiry"},
    )
    notes = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class DocumentList(Schema):
    results = fields.List(fields.Nested(Document), required=True)
    count = fields.Integer(required=True, metadata={"description": "matching filters"})


class DocumentFields(Body):
    visa_application_id = _id(
        allow_none=True, metadata={"description": "one of the client's applications"}
    )
    number = fields.String(validate=validate.Length(max=100), metadata=NUMBER)
    issued_on = fields.Date(allow_none=True, metadata={"description": "YYYY-MM-DD"})
    expires_on = fields.Date(
        allow_none=True, metadata={"description": "YYYY-MM-DD, not before issued_on"}
    )
    responsible_id = _id(allow_none=True, metadata={"description": "an active user"})
    notes = fields.String(validate=validate.Length(max=10_000))

    @validates_schema
    def dates_in_order(self, data, **kwargs):
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            raise ValidationError("must not be before issued_on", "expires_on")


class DocumentCreate(DocumentFields):
    client_id = _id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    responsible_id = _id(
        allow_none=True,
        metadata={
            "description": "an active user; default: the visa application's "
            "assignee, else the creator"
        },
    )


class DocumentUpdate(DocumentFields):
    client_id = _id()
    kind = fields.String(validate=validate.OneOf(DOCUMENT_KINDS))


class DocumentListQuery(PageQuery):
    client_id = fields.Integer(validate=ID)
    visa_application_id = fields.Integer(validate=ID)
    kind = fields.String(validate=validate.OneOf(DOCUMENT_KINDS))
    responsible_id = UserRef(
        metadata={"description": "user id, `me` or `none`", **USER_REF}
    )
    expires_before = fields.Date(metadata={"description": "strictly before"})
    expires_after = fields.Date(metadata={"description": "strictly after"})
    ordering = fields.String(
        load_default="expires_on",
        validate=validate.OneOf(DOCUMENT_ORDERINGS),
        metadata={"description": "documents without an expiry last either way"},
    )
