"""SQLAlchemy Core mirrors of schema/ for building queries; schema/ owns the DDL."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("full_name", sa.Text, nullable=False),
    sa.Column("email", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("is_active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tokens_valid_after", sa.DateTime(timezone=True)),
)

notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("notification_type", sa.Text, nullable=False),
    sa.Column("assigned_to", sa.BigInteger, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("due_date", sa.DateTime(timezone=True)),
    sa.Column("meta_info", JSONB, nullable=False),
    sa.Column("read", sa.Boolean, nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True)),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("emailed_at", sa.DateTime(timezone=True)),
    # What the notification is about ("task:7"), from meta_info: written by
    # each INSERT (queries.notifications.group_of), filled in by a trigger for
    # a row written without it (schema/0013).
    sa.Column("group", sa.Text),
)

user_preferences = sa.Table(
    "user_preferences",
    metadata,
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("muted_types", ARRAY(sa.Text), nullable=False),
    sa.Column("email_enabled", sa.Boolean, nullable=False),
    sa.Column("email_types", ARRAY(sa.Text), nullable=False),
    sa.Column("email_after_minutes", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

clients = sa.Table(
    "clients",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("first_name", sa.Text, nullable=False),
    sa.Column("last_name", sa.Text, nullable=False),
    sa.Column("email", sa.Text, nullable=False),
    sa.Column("phone", sa.Text, nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

visa_applications = sa.Table(
    "visa_applications",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("client_id", sa.BigInteger, sa.ForeignKey("clients.id"), nullable=False),
    sa.Column("visa_type", sa.Text, nullable=False),
    sa.Column("reference", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("assigned_to", sa.BigInteger, sa.ForeignKey("users.id")),
    sa.Column("lodged_at", sa.DateTime(timezone=True)),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("priority", sa.Text, nullable=False),
    # 1 (LOW) … 4 (URGENT), for sorting: written with priority (queries.tasks
    # ranked), a trigger otherwise (schema/0013).
    sa.Column("priority_rank", sa.SmallInteger),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("due_date", sa.DateTime(timezone=True)),
    sa.Column("assigned_to", sa.BigInteger, sa.ForeignKey("users.id")),
    sa.Column("assigned_by", sa.BigInteger, sa.ForeignKey("users.id")),
    sa.Column("created_by", sa.BigInteger, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("client_id", sa.BigInteger, sa.ForeignKey("clients.id")),
    sa.Column(
        "visa_application_id", sa.BigInteger, sa.ForeignKey("visa_applications.id")
    ),
    sa.Column("tags", ARRAY(sa.Text), nullable=False),
    sa.Column("comment_count", sa.Integer, nullable=False),
    sa.Column("completed_at", sa.DateTime(timezone=True)),
    sa.Column("due_soon_notified_for", sa.DateTime(timezone=True)),
    sa.Column("overdue_notified_for", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("template_id", sa.BigInteger, sa.ForeignKey("task_templates.id")),
    sa.Column("assigned_team", sa.BigInteger, sa.ForeignKey("teams.id")),
    sa.Column("delegated_from", sa.BigInteger, sa.ForeignKey("users.id")),
    sa.Column("unseen_escalated_for", sa.BigInteger),
    sa.Column("overdue_escalated_for", sa.DateTime(timezone=True)),
)

task_comments = sa.Table(
    "task_comments",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column(
        "task_id",
        sa.BigInteger,
        sa.ForeignKey("tasks.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("author_id", sa.BigInteger, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

refresh_sessions = sa.Table(
    "refresh_sessions",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_why", sa.Text),
)

refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column(
        "session_id",
        sa.BigInteger,
        sa.ForeignKey("refresh_sessions.id"),
        nullable=False,
    ),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True)),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
)

office_closures = sa.Table(
    "office_closures",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("created_by", sa.BigInteger, sa.ForeignKey("users.id")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("client_id", sa.BigInteger, sa.ForeignKey("clients.id"), nullable=False),
    sa.Column(
        "visa_application_id", sa.BigInteger, sa.ForeignKey("visa_applications.id")
    ),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("issued_on", sa.Date),
    sa.Column("expires_on", sa.Date),
    sa.Column("responsible_id", sa.BigInteger, sa.ForeignKey("users.id")),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("created_by", sa.BigInteger, sa.ForeignKey("users.id")),
    sa.Column("expiry_notified_for", sa.Date),
    sa.Column("expiry_notified_days", sa.Integer),
    sa.Column("next_reminder_on", sa.Date),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

calendar_feeds = sa.Table(
    "calendar_feeds",
    metadata,
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("secret_hash", sa.Text, nullable=False),
    sa.Column("content_hash", sa.Text),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

history = sa.Table(
    "history",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor_id", sa.BigInteger),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("changes", JSONB, nullable=False),
    sa.Column("recipient_id", sa.BigInteger),
    sa.Column("notification_id", sa.BigInteger),
    sa.Column("client_id", sa.BigInteger),
    sa.Column("visa_application_id", sa.BigInteger),
)

task_templates = sa.Table(
    "task_templates",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("visa_type", sa.Text),
    sa.Column("on_status", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("tasks", JSONB, nullable=False),
    sa.Column("created_by", sa.BigInteger, sa.ForeignKey("users.id")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

template_runs = sa.Table(
    "template_runs",
    metadata,
    sa.Column(
        "visa_application_id",
        sa.BigInteger,
        sa.ForeignKey("visa_applications.id"),
        primary_key=True,
    ),
    sa.Column(
        "template_id",
        sa.BigInteger,
        sa.ForeignKey("task_templates.id"),
        primary_key=True,
    ),
    sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

team_members = sa.Table(
    "team_members",
    metadata,
    sa.Column("team_id", sa.BigInteger, sa.ForeignKey("teams.id"), primary_key=True),
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("is_lead", sa.Boolean, nullable=False),
)

absences = sa.Table(
    "absences",
    metadata,
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("delegate_id", sa.BigInteger, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
