"""The filters and orderings of the task list."""

import re

from marshmallow import ValidationError, fields, validate

from ..vocabulary import TASK_ORDERINGS, TASK_PRIORITIES, TASK_QUEUES, TASK_STATUSES
from .common import ID, MAX_ID, USER_REF, Moment, PageQuery, comma_list


class Choices(fields.String):
    """A comma-separated list of some of choices: `status=PENDING,IN_PROGRESS`."""

    def __init__(self, choices, **kwargs):
        metadata = {**kwargs.pop("metadata", {}), **comma_list(choices)}
        super().__init__(metadata=metadata, **kwargs)
        self.choices = choices

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in self.choices]
        if unknown or not names:
            raise ValidationError(f"one or more of {', '.join(self.choices)}")
        return names


class UserRef(fields.String):
    """A user id, `me` (the caller) or `none` (nobody): → int, "me" or None."""

    def _deserialize(self, value, attr, data, **kwargs):
        # As the spec says it: exactly `me`, `none` or digits (no case, no
        # spaces), so that what it refuses is refused here too.
        text = super()._deserialize(value, attr, data, **kwargs)
        if text in ("me", "none"):
            return None if text == "none" else text
        # isascii: str.isdigit() also takes "²", which int() refuses.
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
            raise ValidationError("a user id, `me` or `none`")
        return int(text)


class QueryDateTime(Moment):
    """As Moment, forgiving a `+` of the offset that the query string
    decoding turned into a space (`…T09:00:00+02:00` sent unencoded)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = re.sub(r"(T[\d:.]+) (\d\d:?\d\d)$", r"\1+\2", value)
        return super()._deserialize(value, attr, data, **kwargs)


class TaskListQuery(PageQuery):
    assigned_to = UserRef(
        metadata={"description": "user id, `me` or `none`", **USER_REF}
    )
    created_by = UserRef(
        metadata={"description": "user id, `me` or `none`", **USER_REF}
    )
    status = Choices(TASK_STATUSES, metadata={"description": "comma-separated"})
    priority = Choices(TASK_PRIORITIES, metadata={"description": "comma-separated"})
    queue = fields.String(
        validate=validate.OneOf(TASK_QUEUES),
        metadata={
            "description": "`mine`: the tasks waiting in the queues of the caller's "
            "teams (a team, no assignee, not done)"
        },
    )
    assigned_team = fields.Integer(
        validate=ID, metadata={"description": "the tasks given to that team"}
    )
    tag = fields.String(validate=validate.Length(min=1, max=50))
    client_id = fields.Integer(validate=ID)
    visa_application_id = fields.Integer(validate=ID)
    due_before = QueryDateTime(metadata={"description": "ISO 8601 with offset"})
    due_after = QueryDateTime(metadata={"description": "ISO 8601 with offset"})
    overdue = fields.Boolean(metadata={"description": "past due and not done"})
    q = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "text in the title or detail, any case"},
    )
    ordering = fields.String(
        load_default="-created_at",
        validate=validate.OneOf(TASK_ORDERINGS),
        metadata={"description": "-priority: most urgent first; id breaks ties"},
    )
