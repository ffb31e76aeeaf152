"""Domain errors: raised by queries and services, turned into HTTP by one middleware."""


class LeopardError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self, message: str, fields: dict | None = None, headers: dict | None = None
    ):
        super().__init__(message)
        self.message = message
        self.fields = fields
        self.headers = headers


class NotFound(LeopardError):
    status = 404
    code = "not_found"


class Forbidden(LeopardError):
    status = 403
    code = "forbidden"


class Conflict(LeopardError):
    status = 409
    code = "conflict"


class LastAdmin(Conflict):
    """The change would leave no active admin."""

    code = "last_admin"


class AlreadyClaimed(Conflict):
    """The queued task has an assignee already; the message names them."""

    code = "already_claimed"


class Invalid(LeopardError):
    """Field values that cannot be accepted (422); `fields` maps name → messages."""

    status = 422
    code = "validation_error"


class Unauthorized(LeopardError):
    status = 401
    code = "unauthorized"


class TooManyStreams(LeopardError):
    status = 429
    code = "too_many_streams"


class TooManyAttempts(LeopardError):
    """Sign-in throttled; `headers` carries Retry-After."""

    status = 429
    code = "too_many_attempts"


class Busy(LeopardError):
    """Too much of a bounded resource is in use right now; try again shortly."""

    status = 503
    code = "busy"


class BadRequest(LeopardError):
    """A body or query that is malformed as a whole (400)."""


class BadQuery(LeopardError):
    status = 400
    code = "bad_query"
