from marshmallow import ValidationError, fields, validate

from ..vocabulary import VISA_STATUSES
from .clients import NOTES, row_id
from .common import ID, MAX_ID, USER_REF, Body, Moment, PageQuery, Schema, comma_list

STATUS = validate.OneOf(VISA_STATUSES)
VISA_TYPE = validate.Length(min=1, max=100)
REFERENCE = validate.Length(max=100)


class StatusList(fields.String):
    """A comma-separated list of statuses: `VISA_APPLIED,CASE_OPENED`."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in VISA_STATUSES]
        if unknown or not names:
            raise ValidationError(f"one or more of {', '.join(VISA_STATUSES)}")
        return names


class Assignee(fields.String):
    """A user id, `me` (the caller) or `none` (unassigned)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip().lower()
        if text in ("me", "none"):
            return text
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
            return int(text)
        raise ValidationError("a user id, `me` or `none`")


class Checklist(Schema):
    open = fields.Integer(required=True)
    done = fields.Integer(required=True)


class VisaApplication(Schema):
    id = fields.Integer(required=True)
    client_id = fields.Integer(required=True)
    visa_type = fields.String(required=True)
    reference = fields.String(required=True)
    status = fields.String(required=True, validate=STATUS)
    assigned_to = fields.Integer(required=True, allow_none=True)
    lodged_at = fields.DateTime(required=True, allow_none=True)
    decided_at = fields.DateTime(required=True, allow_none=True)
    notes = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    checklist = fields.Nested(
        Checklist,
        required=True,
        metadata={"description": "its tasks not done (open) and done"},
    )


class VisaApplicationList(Schema):
    results = fields.List(fields.Nested(VisaApplication), required=True)
    count = fields.Integer(required=True, metadata={"description": "matching filters"})


class VisaApplicationListQuery(PageQuery):
    client_id = fields.Integer(validate=ID)
    status = StatusList(
        metadata={
            "description": "comma-separated statuses",
            **comma_list(VISA_STATUSES),
        }
    )
    assigned_to = Assignee(
        metadata={"description": "user id, `me` or `none` (unassigned)", **USER_REF}
    )


class VisaApplicationUpdate(Body):
    client_id = row_id(metadata={"description": "an existing client"})
    visa_type = fields.String(validate=VISA_TYPE, metadata={"description": "1–100"})
    reference = fields.String(validate=REFERENCE, metadata={"description": "≤ 100"})
    status = fields.String(validate=STATUS)
    assigned_to = row_id(
        allow_none=True, metadata={"description": "an active user, or null"}
    )
    lodged_at = Moment(allow_none=True)
    decided_at = Moment(allow_none=True)
    notes = fields.String(validate=NOTES, metadata={"description": "≤ 10,000"})


class VisaApplicationCreate(VisaApplicationUpdate):
    client_id = row_id(required=True, metadata={"description": "an existing client"})
    visa_type = fields.String(
        required=True, validate=VISA_TYPE, metadata={"description": "1–100"}
    )
