"""Refresh, logout and one's own password."""

from marshmallow import fields, validate

from .common import Body
from .users import PASSWORD


class RefreshRequest(Body):
    """The refresh token in the body, or none (then the leopard_refresh cookie)."""

    # A browser sends the cookie and may send no body at all.
    body_optional = True

    refresh_token = fields.String(
        validate=validate.Length(min=1, max=4096),
        metadata={"description": "omit to use the leopard_refresh cookie"},
    )


class PasswordChange(Body):
    current_password = fields.String(required=True, validate=validate.Length(max=1024))
    new_password = fields.String(required=True, validate=PASSWORD)
