-- Notifications: what each user is told, replayed on their streams by id.
CREATE TABLE notifications (
    id                bigserial PRIMARY KEY,
    assigned_to       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    notification_type text NOT NULL CHECK (notification_type IN (
        'TASK_ASSIGNED', 'TASK_UPDATED', 'TASK_COMMENT', 'TASK_MENTIONED',
        'TASK_DUE_SOON', 'TASK_OVERDUE', 'VISA_APPLICATION_ASSIGNED',
        'VISA_STATUS_UPDATE', 'SYSTEM')),
    title             text NOT NULL,
    message           text NOT NULL DEFAULT '',
    due_date          timestamptz,
    meta_info         jsonb NOT NULL DEFAULT '{}'::jsonb
                      CHECK (jsonb_typeof(meta_info) = 'object'),
    read              boolean NOT NULL DEFAULT false,
    read_at           timestamptz,
    delivered_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (read = (read_at IS NOT NULL))
);

-- Replay after Last-Event-ID and the newest-first list: one recipient, by id.
CREATE INDEX notifications_recipient_id ON notifications (assigned_to, id);
-- The unread badge: a small partial index, only unread rows.
CREATE INDEX notifications_recipient_unread ON notifications (assigned_to, id)
    WHERE NOT read;
-- Reminders and reports by due date.
CREATE INDEX notifications_due_date ON notifications (due_date)
    WHERE due_date IS NOT NULL;
