from marshmallow import ValidationError, fields, validate, validates_schema

from ..vocabulary import BULK_ACTIONS, NOTIFICATION_TYPES
from .common import (
    ID,
    MAX_ID,
    Body,
    Flag,
    Moment,
    PageQuery,
    Query,
    Schema,
    comma_list,
)

MAX_BULK = 1000
GROUP = validate.Regexp(
    r"^(task|visa_application|document):[1-9][0-9]{0,18}$",
    error='a group: "task:<id>", "visa_application:<id>" or "document:<id>"',
)


class TypeList(fields.String):
    """A comma-separated list of notification types: `TASK_ASSIGNED,TASK_COMMENT`."""

    def _deserialize(self, value, attr, data, **kwargs):
        names = [v.strip() for v in super()._deserialize(value, attr, data).split(",")]
        unknown = [name for name in names if name not in NOTIFICATION_TYPES]
        if unknown:
            raise ValidationError(f"unknown types: {', '.join(unknown)}")
        return [name for name in names if name]


class Notification(Schema):
    id = fields.Integer(required=True)
    notification_type = fields.String(
        required=True, validate=validate.OneOf(NOTIFICATION_TYPES)
    )
    assigned_to = fields.Integer(required=True, metadata={"description": "recipient"})
    title = fields.String(required=True)
    message = fields.String(required=True)
    due_date = fields.DateTime(allow_none=True, required=True)
    meta_info = fields.Dict(
        required=True,
        metadata={"description": "task_id, comment_id, visa_application_id, …"},
    )
    read = fields.Boolean(required=True)
    read_at = fields.DateTime(allow_none=True, required=True)
    delivered_at = fields.DateTime(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    emailed_at = fields.DateTime(
        allow_none=True,
        required=True,
        metadata={"description": "when it was emailed to the recipient, or null"},
    )
    group = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": '"task:<id>", "visa_application:<id>", "document:<id>"'
            " or null"
        },
    )


class ListItem(Schema):
    """A notification (every field of Notification), or with `grouped=true` a
    group: {group, latest, count, unread_count}. One schema for both, since one
    route's 200 has one schema."""

    id = fields.Integer(metadata={"description": "a notification's"})
    notification_type = fields.String(validate=validate.OneOf(NOTIFICATION_TYPES))
    group = fields.String(allow_none=True)
    latest = fields.Nested(Notification, metadata={"description": "a group's"})
    count = fields.Integer(metadata={"description": "a group's"})
    unread_count = fields.Integer(metadata={"description": "a group's"})


class NotificationList(Schema):
    results = fields.List(
        fields.Nested(ListItem),
        required=True,
        metadata={"description": "notifications; groups with grouped=true"},
    )
    count = fields.Integer(
        required=True,
        metadata={"description": "matching filters (groups with grouped=true)"},
    )
    unread_count = fields.Integer(required=True, metadata={"description": "all unread"})


class NotificationListQuery(PageQuery):
    read = fields.Boolean()
    type = TypeList(
        metadata={
            "description": "comma-separated notification types",
            **comma_list(NOTIFICATION_TYPES),
        }
    )
    before_id = fields.Integer(validate=ID)
    group = fields.String(
        validate=GROUP,
        metadata={"description": 'only one group\'s notifications: "task:12"'},
    )
    grouped = fields.Boolean(
        metadata={
            "description": "one result per group, newest first: {group, latest, "
            "count, unread_count}; filters apply to the notifications first"
        }
    )


class UnreadCount(Schema):
    unread_count = fields.Integer(required=True)


class BulkRequest(Body):
    # Exactly one target, as one_target checks; `all` is one only when true.
    spec_extra = {
        "x-oneOf": [
            {"required": ["ids"]},
            {"required": ["group"]},
            {"required": ["all"], "properties": {"all": {"enum": [True]}}},
        ]
    }

    action = fields.String(required=True, validate=validate.OneOf(BULK_ACTIONS))
    ids = fields.List(
        fields.Integer(strict=True, validate=ID),
        validate=validate.Length(max=MAX_BULK),
        metadata={"description": f"at most {MAX_BULK}"},
    )
    group = fields.String(
        validate=GROUP,
        metadata={"description": 'one group\'s notifications: "task:12"'},
    )
    all = Flag(metadata={"description": "every notification of the caller"})

    @validates_schema
    def one_target(self, data, **kwargs):
        given = ["ids" in data, "group" in data, bool(data.get("all"))]
        if sum(given) != 1:
            raise ValidationError("give one of `ids`, `group` or `all: true`", "ids")


class BulkResponse(Schema):
    action = fields.String(required=True)
    affected = fields.Integer(required=True)


class Recipients(fields.Field):
    """A list of user ids, or the string "all"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "all":
            return value
        if (
            not isinstance(value, list)
            or not value
            or not all(
                isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_ID
                for v in value
            )
        ):
            raise ValidationError('a non-empty list of user ids, or "all"')
        if len(value) > MAX_BULK:
            raise ValidationError(f'at most {MAX_BULK} recipients; use "all"')
        return value


class NotificationCreate(Body):
    recipients = Recipients(
        required=True,
        metadata={
            "description": f'user ids (1 to {MAX_BULK}), or "all" (active users)',
            "x-anyOf": [
                {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                    "minItems": 1,
                    "maxItems": MAX_BULK,
                },
                {"type": "string", "enum": ["all"]},
            ],
        },
    )
    notification_type = fields.String(
        load_default="SYSTEM", validate=validate.OneOf(NOTIFICATION_TYPES)
    )
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    message = fields.String(load_default="", validate=validate.Length(max=10_000))
    due_date = Moment(allow_none=True, load_default=None)
    meta_info = fields.Dict(keys=fields.String(), load_default=dict)


class NotificationCreated(Schema):
    created = fields.Integer(required=True)
    ids = fields.List(fields.Integer(), required=True)


class StreamQuery(Query):
    types = TypeList(
        metadata={
            "description": "only these notification types (comma-separated)",
            **comma_list(NOTIFICATION_TYPES),
        }
    )
    last_event_id = fields.Integer(
        validate=validate.Range(min=0, max=MAX_ID),
        metadata={"description": "as the Last-Event-ID header"},
    )
    access_token = fields.String(metadata={"description": "for non-browser clients"})
