from marshmallow import fields, validate

from .common import NOT_BLANK, Body, PageQuery, Schema


class Comment(Schema):
    id = fields.Integer(required=True)
    task_id = fields.Integer(required=True)
    author_id = fields.Integer(required=True)
    body = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)


class CommentList(Schema):
    results = fields.List(fields.Nested(Comment), required=True)
    count = fields.Integer(required=True)


class CommentCreate(Body):
    body = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=10_000),
            NOT_BLANK,
        ],
        metadata={"description": "@username tells that user (TASK_MENTIONED)"},
    )


class CommentListQuery(PageQuery):
    pass
