from marshmallow import ValidationError, fields, validate

from ..vocabulary import EMAIL_AFTER_MINUTES_MAX, NOTIFICATION_TYPES, UNMUTABLE
from .common import Body, Flag, Schema

TYPE = validate.OneOf(NOTIFICATION_TYPES)
MUTABLE = [name for name in NOTIFICATION_TYPES if name not in UNMUTABLE]


def _mutable(types) -> None:
    refused = [name for name in types if name in UNMUTABLE]
    if refused:
        raise ValidationError(f"{', '.join(refused)} cannot be muted")


class EmailPreferences(Schema):
    enabled = fields.Boolean(required=True)
    types = fields.List(
        fields.String(validate=TYPE),
        required=True,
        metadata={"description": "the types emailed when they stay unread"},
    )
    after_minutes = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=EMAIL_AFTER_MINUTES_MAX),
        metadata={"description": "unread this long (0: at the next sweep)"},
    )


class Preferences(Schema):
    muted_types = fields.List(
        fields.String(validate=TYPE),
        required=True,
        metadata={"description": "never created for this user"},
    )
    email = fields.Nested(EmailPreferences, required=True)


class EmailPreferencesUpdate(Body):
    enabled = Flag()
    types = fields.List(fields.String(validate=TYPE), validate=validate.Length(max=100))
    after_minutes = fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=EMAIL_AFTER_MINUTES_MAX),
        metadata={"description": f"0–{EMAIL_AFTER_MINUTES_MAX}"},
    )


class PreferencesUpdate(Body):
    muted_types = fields.List(
        # The spec's enum leaves SYSTEM out; _mutable says why it is refused.
        fields.String(validate=TYPE, metadata={"enum": MUTABLE}),
        validate=[validate.Length(max=100), _mutable],
        metadata={"description": "every type but SYSTEM may be muted"},
    )
    email = fields.Nested(EmailPreferencesUpdate)
