-- What each user chooses to hear about: muted types are never created for
-- them, and email tells them of what stays unread. No row means the defaults.
CREATE TABLE user_preferences (
    user_id             bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    muted_types         text[] NOT NULL DEFAULT '{}',
    email_enabled       boolean NOT NULL DEFAULT false,
    email_types         text[] NOT NULL DEFAULT
                        '{TASK_ASSIGNED,TASK_MENTIONED,TASK_OVERDUE,VISA_STATUS_UPDATE}',
    email_after_minutes integer NOT NULL DEFAULT 15
                        CHECK (email_after_minutes BETWEEN 0 AND 1440),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- Admins' announcements always reach everyone.
    CONSTRAINT user_preferences_system_not_muted
        CHECK (NOT ('SYSTEM' = ANY (muted_types)))
);

-- When a notification was emailed to its recipient (null: not yet, or never).
ALTER TABLE notifications ADD COLUMN emailed_at timestamptz;

-- The email sweeper's search: one recipient's unread notifications not yet
-- emailed, oldest first. Small: reading or emailing a row takes it out.
CREATE INDEX notifications_to_email ON notifications (assigned_to, id)
    WHERE NOT read AND emailed_at IS NULL;
