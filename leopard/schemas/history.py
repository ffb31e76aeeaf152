"""A case's history: its entries, a page of them, and the query (a page, or
every entry as CSV)."""

from marshmallow import fields, validate

from ..vocabulary import HISTORY_ACTIONS
from .common import PageQuery, Schema


class Entry(Schema):
    id = fields.Integer(required=True)
    at = fields.AwareDateTime(required=True)
    actor_id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "whose request caused it; null: Leopard's own"},
    )
    subject = fields.String(
        required=True,
        metadata={
            "description": '"client:<id>", "visa_application:<id>", '
            '"document:<id>" or "task:<id>"'
        },
    )
    action = fields.String(required=True, validate=validate.OneOf(HISTORY_ACTIONS))
    changes = fields.Dict(
        required=True,
        metadata={"description": "{field: [old, new]}; a document's number reads ***"},
    )
    recipient_id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "who was told (notified, delivered, read, emailed)"},
    )


class EntryList(Schema):
    results = fields.List(fields.Nested(Entry), required=True)
    count = fields.Integer(required=True)


class HistoryQuery(PageQuery):
    format = fields.String(
        validate=validate.OneOf(("json", "csv")),
        metadata={"description": "csv: every entry (no paging) as text/csv"},
    )
