-- The office calendar's closures, clients' documents and their expiry
-- reminders, and each user's secret calendar feed.

-- Days the office is closed besides weekends and public holidays. Deadlines
-- computed before a closure was made keep their date.
CREATE TABLE office_closures (
    id          bigserial PRIMARY KEY,
    day         date NOT NULL UNIQUE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
    id                   bigserial PRIMARY KEY,
    -- A client with documents is not deleted (409): RESTRICT backs that up.
    client_id            bigint NOT NULL REFERENCES clients (id) ON DELETE RESTRICT,
    visa_application_id  bigint REFERENCES visa_applications (id) ON DELETE SET NULL,
    kind                 text NOT NULL CHECK (kind IN ('PASSPORT', 'VISA',
                             'RESIDENCE_PERMIT', 'WORK_PERMIT', 'TRAVEL_DOCUMENT',
                             'POLICE_CERTIFICATE', 'MEDICAL', 'OTHER')),
    -- Personal data: never copied into a notification, an email, the calendar
    -- feed or the history.
    number               text NOT NULL DEFAULT '' CHECK (length(number) <= 100),
    issued_on            date,
    expires_on           date,
    responsible_id       bigint REFERENCES users (id) ON DELETE SET NULL,
    notes                text NOT NULL DEFAULT '' CHECK (length(notes) <= 10000),
    created_by           bigint REFERENCES users (id) ON DELETE SET NULL,
    -- The expiry reminders: the expiry date and the smallest threshold (in
    -- days; 0: expired) already told for it. The sweeper claims a reminder by
    -- setting them, so each is sent once per document, threshold and expiry.
    expiry_notified_for  date,
    expiry_notified_days integer,
    -- The day the sweeper looks at the document next (null: nothing left to
    -- tell); a new expiry date sets it again. The sweep reads only what is due.
    next_reminder_on     date,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT documents_dates CHECK (expires_on >= issued_on)
);

CREATE INDEX documents_client ON documents (client_id, id);
CREATE INDEX documents_visa_application ON documents (visa_application_id)
    WHERE visa_application_id IS NOT NULL;
CREATE INDEX documents_responsible ON documents (responsible_id, expires_on);
CREATE INDEX documents_expires_on ON documents (expires_on, id);
CREATE INDEX documents_next_reminder ON documents (next_reminder_on)
    WHERE next_reminder_on IS NOT NULL;

-- One secret feed URL per user; only a hash of its secret is kept. The hash of
-- what it last served and when that changed answer ETag / Last-Modified.
CREATE TABLE calendar_feeds (
    user_id       bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_hash   text NOT NULL UNIQUE,
    content_hash  text,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- A document's notifications are the group "document:<id>". A generated
-- column's expression cannot be changed in place: it is made again, with its
-- index.
DROP INDEX notifications_recipient_group;
ALTER TABLE notifications DROP COLUMN "group";
ALTER TABLE notifications ADD COLUMN "group" text GENERATED ALWAYS AS (
    CASE
        WHEN jsonb_typeof(meta_info -> 'task_id') = 'number'
            THEN 'task:' || (meta_info ->> 'task_id')
        WHEN jsonb_typeof(meta_info -> 'document_id') = 'number'
            THEN 'document:' || (meta_info ->> 'document_id')
        WHEN jsonb_typeof(meta_info -> 'visa_application_id') = 'number'
            THEN 'visa_application:' || (meta_info ->> 'visa_application_id')
    END
) STORED;
CREATE INDEX notifications_recipient_group ON notifications (assigned_to, "group", id)
    WHERE "group" IS NOT NULL;

-- The contract's new types: documents' expiry, and (for teams) queued and
-- escalated tasks.
ALTER TABLE notifications DROP CONSTRAINT notifications_notification_type_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_notification_type_check
    CHECK (notification_type IN (
        'TASK_ASSIGNED', 'TASK_UPDATED', 'TASK_COMMENT', 'TASK_MENTIONED',
        'TASK_DUE_SOON', 'TASK_OVERDUE', 'VISA_APPLICATION_ASSIGNED',
        'VISA_STATUS_UPDATE', 'SYSTEM', 'DOCUMENT_EXPIRING', 'DOCUMENT_EXPIRED',
        'TASK_QUEUED', 'TASK_ESCALATED'));
