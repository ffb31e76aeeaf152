"""Tasks: the task, its list, and the bodies that create or change one."""

from marshmallow import ValidationError, fields, validate, validates_schema

from ..vocabulary import TASK_PRIORITIES, TASK_STATUSES
from .common import ID, NOT_BLANK, Body, Moment, Schema

TITLE = [validate.Length(min=1, max=200), NOT_BLANK]


def _id(**kwargs):
    return fields.Integer(strict=True, validate=ID, **kwargs)


class Tags(fields.List):
    """Up to 20 strings of 1–50 characters; repeats are dropped, order kept."""

    def __init__(self, **kwargs):
        item = fields.String(validate=validate.Length(min=1, max=50))
        super().__init__(item, validate=validate.Length(max=20), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return list(dict.fromkeys(super()._deserialize(value, attr, data, **kwargs)))


class Task(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    detail = fields.String(required=True)
    priority = fields.String(required=True, validate=validate.OneOf(TASK_PRIORITIES))
    status = fields.String(required=True, validate=validate.OneOf(TASK_STATUSES))
    due_date = fields.AwareDateTime(required=True, allow_none=True)
    assigned_to = fields.Integer(required=True, allow_none=True)
    assigned_by = fields.Integer(
        required=True, allow_none=True, metadata={"description": "who assigned it"}
    )
    created_by = fields.Integer(required=True)
    client_id = fields.Integer(required=True, allow_none=True)
    visa_application_id = fields.Integer(required=True, allow_none=True)
    tags = fields.List(fields.String(), required=True)
    comment_count = fields.Integer(required=True)
    completed_at = fields.AwareDateTime(
        required=True, allow_none=True, metadata={"description": "while COMPLETED"}
    )
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(
        required=True, metadata={"description": "last change of its fields"}
    )
    assignee_seen_at = fields.AwareDateTime(
        required=True,
        allow_none=True,
        metadata={
            "description": "when the assignee's stream got this assignment (null "
            "until then, and again after a reassignment)"
        },
    )
    template_id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "the task template that made it, or null"},
    )
    assignee_read_at = fields.AwareDateTime(
        required=True,
        allow_none=True,
        metadata={"description": "when the assignee read this assignment's notice"},
    )
    assigned_team = fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "the team whose queue it waits in while assigned_to is "
            "null; a claimed task keeps it"
        },
    )
    delegated_from = fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "the absent user it was assigned to, when it went to "
            "their delegate instead (null otherwise)"
        },
    )


class TaskList(Schema):
    results = fields.List(fields.Nested(Task), required=True)
    count = fields.Integer(required=True, metadata={"description": "matching filters"})


class TaskFields(Body):
    detail = fields.String(validate=validate.Length(max=10_000))
    priority = fields.String(validate=validate.OneOf(TASK_PRIORITIES))
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))
    due_date = Moment(
        allow_none=True, metadata={"description": "ISO 8601 with a UTC offset"}
    )
    assigned_to = _id(
        allow_none=True, metadata={"description": "an active user; null: nobody"}
    )
    assigned_team = _id(
        allow_none=True,
        metadata={
            "description": "a team; with no assigned_to the task waits in its "
            "queue and its members get TASK_QUEUED"
        },
    )
    client_id = _id(allow_none=True)
    visa_application_id = _id(
        allow_none=True,
        metadata={"description": "its client becomes the task's (must agree)"},
    )
    tags = Tags()
    due_in_business_days = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=366),
        metadata={
            "description": "1–366, instead of due_date: due at LEOPARD_CLOSING_TIME "
            "on the Nth business day after today in the office's zone (the "
            "answer carries the computed due_date)"
        },
    )

    @validates_schema
    def one_due_date(self, data, **kwargs):
        if "due_date" in data and "due_in_business_days" in data:
            raise ValidationError(
                "give due_date or due_in_business_days, not both",
                "due_in_business_days",
            )


class TaskCreate(TaskFields):
    title = fields.String(required=True, validate=TITLE)


class TaskUpdate(TaskFields):
    title = fields.String(validate=TITLE)


class TaskAssign(Body):
    assigned_to = _id(
        required=True, allow_none=True, metadata={"description": "null: unassign"}
    )
