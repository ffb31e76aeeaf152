"""The office calendar: its settings, its special days, business days, closures
and the calendar feed's address."""

from marshmallow import fields, validate

from .common import Body, Query, Schema

DATE = {"description": "YYYY-MM-DD, a day in the office's time zone"}
NAME = [
    validate.Length(min=1, max=200),
    validate.Regexp(
        r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$",
        error="Must be one line of text.",
    ),
]


class Calendar(Schema):
    timezone = fields.String(required=True, metadata={"example": "Australia/Sydney"})
    weekend = fields.List(
        fields.String(
            validate=validate.OneOf(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
        ),
        required=True,
        metadata={"description": "the days the office is closed each week"},
    )
    holidays = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "a country and subdivision (AU-NSW), or null"},
    )
    closing_time = fields.String(
        required=True, metadata={"description": "HH:MM, the end of the working day"}
    )


class DaysQuery(Query):
    first = fields.Date(required=True, data_key="from", metadata=DATE)
    last = fields.Date(
        required=True,
        data_key="to",
        metadata={"description": "inclusive; at most 366 days after from"},
    )


class Day(Schema):
    date = fields.Date(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("holiday", "closure")))


class DayList(Schema):
    results = fields.List(fields.Nested(Day), required=True)


class BusinessDayQuery(Query):
    first = fields.Date(required=True, data_key="from", metadata=DATE)
    add = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=366),
        metadata={"description": "1–366: which business day after from"},
    )


class BusinessDay(Schema):
    first = fields.Date(required=True, data_key="from")
    add = fields.Integer(required=True)
    date = fields.Date(required=True, metadata={"description": "the Nth business day"})


class ClosureCreate(Body):
    date = fields.Date(required=True, metadata=DATE)
    name = fields.String(
        required=True, validate=NAME, metadata={"description": "1–200"}
    )


class Closure(Schema):
    id = fields.Integer(required=True)
    date = fields.Date(required=True)
    name = fields.String(required=True)


class ClosureList(Schema):
    results = fields.List(fields.Nested(Closure), required=True)


class ClosureListQuery(Query):
    first = fields.Date(data_key="from", metadata={"description": "from this day"})
    last = fields.Date(
        data_key="to", metadata={"description": "to this day (before from: none)"}
    )


class FeedUrl(Schema):
    url = fields.String(
        required=True,
        metadata={"description": "the secret address a calendar program subscribes to"},
    )
