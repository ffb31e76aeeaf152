"""Task templates: the checklist a visa application of a type gets when it
reaches a status."""

from marshmallow import ValidationError, fields, validate

from ..vocabulary import TASK_PRIORITIES, VISA_STATUSES
from .common import MAX_ID, NOT_BLANK, Body, Flag, Schema
from .tasks import TITLE, Tags

ASSIGNEES = ("application_assignee", "acting_user")
ASSIGN_TO = {
    "x-oneOf": [
        {"type": "string", "enum": list(ASSIGNEES)},
        *(
            {
                "type": "object",
                "properties": {
                    key: {"type": "integer", "minimum": 1, "maximum": MAX_ID}
                },
                "required": [key],
                "additionalProperties": False,
            }
            for key in ("user", "team")
        ),
    ]
}


class AssignTo(fields.Field):
    """ "application_assignee", "acting_user", {"user": id} or {"team": id}."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and value in ASSIGNEES:
            return value
        if isinstance(value, dict) and len(value) == 1:
            [(key, ref)] = value.items()
            is_id = isinstance(ref, int) and not isinstance(ref, bool)
            if key in ("user", "team") and is_id and 1 <= ref <= MAX_ID:
                return {key: ref}
        raise ValidationError(
            'one of "application_assignee", "acting_user", {"user": id}, {"team": id}'
        )


class TemplateTask(Body):
    title = fields.String(required=True, validate=TITLE)
    detail = fields.String(load_default="", validate=validate.Length(max=10_000))
    priority = fields.String(
        load_default="MEDIUM", validate=validate.OneOf(TASK_PRIORITIES)
    )
    tags = Tags(load_default=list)
    due_in_business_days = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=1, max=366),
        metadata={
            "description": "1–366: due at closing time that many business days on"
        },
    )
    assign_to = AssignTo(
        load_default="application_assignee",
        metadata={
            "description": "who gets it (default the application's assignee)",
            **ASSIGN_TO,
        },
    )


class TemplateTaskOut(Schema):
    title = fields.String(required=True)
    detail = fields.String(required=True)
    priority = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)
    due_in_business_days = fields.Integer(required=True, allow_none=True)
    assign_to = fields.Raw(required=True, metadata=ASSIGN_TO)


TASKS = validate.Length(min=1, max=50)
VISA_TYPE = {"description": "null: every type; else equal ignoring case"}


class Template(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    visa_type = fields.String(required=True, allow_none=True, metadata=VISA_TYPE)
    on_status = fields.String(required=True, validate=validate.OneOf(VISA_STATUSES))
    active = fields.Boolean(required=True)
    tasks = fields.List(fields.Nested(TemplateTaskOut), required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class TemplateList(Schema):
    results = fields.List(fields.Nested(Template), required=True)
    count = fields.Integer(required=True)


class TemplateUpdate(Body):
    name = fields.String(validate=[validate.Length(min=1, max=200), NOT_BLANK])
    visa_type = fields.String(
        allow_none=True,
        validate=[validate.Length(min=1, max=100), NOT_BLANK],
        metadata=VISA_TYPE,
    )
    on_status = fields.String(validate=validate.OneOf(VISA_STATUSES))
    active = Flag()
    tasks = fields.List(fields.Nested(TemplateTask), validate=TASKS)


class TemplateCreate(TemplateUpdate):
    name = fields.String(
        required=True, validate=[validate.Length(min=1, max=200), NOT_BLANK]
    )
    on_status = fields.String(required=True, validate=validate.OneOf(VISA_STATUSES))
    active = Flag(load_default=True)
    tasks = fields.List(fields.Nested(TemplateTask), required=True, validate=TASKS)
