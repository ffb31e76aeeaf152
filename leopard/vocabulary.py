"""The contract's fixed vocabularies: what the schemas validate against and
what the services and queries act on. Imports nothing, so every layer may
take from it."""

NOTIFICATION_TYPES = (
    "TASK_ASSIGNED",
    "TASK_UPDATED",
    "TASK_COMMENT",
    "TASK_MENTIONED",
    "TASK_DUE_SOON",
    "TASK_OVERDUE",
    "VISA_APPLICATION_ASSIGNED",
    "VISA_STATUS_UPDATE",
    "SYSTEM",
    "DOCUMENT_EXPIRING",
    "DOCUMENT_EXPIRED",
    "TASK_QUEUED",
    "TASK_ESCALATED",
)
# Admins' announcements: no one can mute them.
UNMUTABLE = ("SYSTEM",)
# The preferences of a user who never chose (GET /api/v1/users/me/preferences/).
EMAIL_TYPES_DEFAULT = (
    "TASK_ASSIGNED",
    "TASK_MENTIONED",
    "TASK_OVERDUE",
    "VISA_STATUS_UPDATE",
)
EMAIL_AFTER_MINUTES_DEFAULT = 15
EMAIL_AFTER_MINUTES_MAX = 1440
# POST /api/v1/notifications/bulk/ (and read/unread/delete of one)
BULK_ACTIONS = ("mark_read", "mark_unread", "delete")

TASK_PRIORITIES = ("LOW", "MEDIUM", "HIGH", "URGENT")
TASK_STATUSES = ("PENDING", "IN_PROGRESS", "COMPLETED", "CANCELLED")
# GET /api/v1/tasks/?queue=: the unassigned tasks of the caller's teams
TASK_QUEUES = ("mine",)
# GET /api/v1/tasks/?ordering=
TASK_ORDERINGS = (
    "due_date",
    "-due_date",
    "priority",
    "-priority",
    "created_at",
    "-created_at",
)

VISA_STATUSES = (
    "TO_BE_APPLIED",
    "VISA_APPLIED",
    "CASE_OPENED",
    "GRANTED",
    "REJECTED",
    "WITHDRAWN",
)

DOCUMENT_KINDS = (
    "PASSPORT",
    "VISA",
    "RESIDENCE_PERMIT",
    "WORK_PERMIT",
    "TRAVEL_DOCUMENT",
    "POLICE_CERTIFICATE",
    "MEDICAL",
    "OTHER",
)
# GET /api/v1/documents/?ordering= (those without an expiry last either way)
DOCUMENT_ORDERINGS = ("expires_on", "-expires_on")

# The history's actions (GET …/history/): changes first, then what was told.
HISTORY_ACTIONS = (
    "created",
    "changed",
    "deleted",
    "assigned",
    "claimed",
    "released",
    "delegated",
    "commented",
    "escalated",
    "notified",
    "delivered",
    "read",
    "emailed",
)
