"""Teams: a name, its leads and its members (leads are members)."""

from marshmallow import fields, validate

from .common import ID, NOT_BLANK, Body, PageQuery, Schema

NAME = [validate.Length(min=1, max=100), NOT_BLANK]
MAX_MEMBERS = 500


def _people(description: str):
    return fields.List(
        fields.Integer(strict=True, validate=ID),
        validate=validate.Length(max=MAX_MEMBERS),
        metadata={"description": description},
    )


class Team(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    lead_ids = fields.List(
        fields.Integer(),
        required=True,
        metadata={"description": "told of escalations; each is also a member"},
    )
    member_ids = fields.List(
        fields.Integer(),
        required=True,
        metadata={"description": "who claims the team's queued tasks, by id"},
    )


class TeamList(Schema):
    results = fields.List(fields.Nested(Team), required=True)
    count = fields.Integer(required=True)


class TeamListQuery(PageQuery):
    pass


class TeamFields(Body):
    lead_ids = _people("active users; a lead missing from member_ids is added")
    member_ids = _people("active users")


class TeamCreate(TeamFields):
    name = fields.String(
        required=True, validate=NAME, metadata={"description": "1–100, unique"}
    )


class TeamUpdate(TeamFields):
    name = fields.String(validate=NAME, metadata={"description": "1–100, unique"})
