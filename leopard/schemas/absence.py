"""A user's absence: when, and who takes their new work meanwhile."""

from marshmallow import ValidationError, fields, validate, validates_schema

from .common import ID, Body, Moment, Schema


class Absence(Schema):
    user_id = fields.Integer(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    delegate_id = fields.Integer(
        required=True,
        metadata={"description": "who gets what is assigned to the user meanwhile"},
    )
    note = fields.String(required=True)
    current = fields.Boolean(
        required=True,
        metadata={"description": "whether the user is away now (starts_at ≤ now)"},
    )


class AbsenceAnswer(Schema):
    absence = fields.Nested(
        Absence,
        required=True,
        allow_none=True,
        metadata={"description": "null: none, or the last one has ended"},
    )


class AbsenceSet(Body):
    starts_at = Moment(
        required=True, metadata={"description": "ISO 8601 with a UTC offset"}
    )
    ends_at = Moment(
        required=True,
        metadata={"description": "after starts_at, and not in the past"},
    )
    delegate_id = fields.Integer(
        strict=True,
        required=True,
        validate=ID,
        metadata={"description": "an active user other than the one away"},
    )
    note = fields.String(validate=validate.Length(max=500))

    @validates_schema
    def ends_after_it_starts(self, data, **kwargs):
        if data.get("ends_at") and data.get("starts_at"):
            if data["ends_at"] <= data["starts_at"]:
                raise ValidationError("must be after starts_at", "ends_at")
