-- What a notification is about, for the grouped inbox and bulk actions by
-- group: "task:<id>" or "visa_application:<id>" from its meta_info, else null.
-- Generated, so every writer (and every existing row) has it without a change.
ALTER TABLE notifications ADD COLUMN "group" text GENERATED ALWAYS AS (
    CASE
        WHEN jsonb_typeof(meta_info -> 'task_id') = 'number'
            THEN 'task:' || (meta_info ->> 'task_id')
        WHEN jsonb_typeof(meta_info -> 'visa_application_id') = 'number'
            THEN 'visa_application:' || (meta_info ->> 'visa_application_id')
    END
) STORED;

-- One recipient's groups, and a bulk action on one of them.
CREATE INDEX notifications_recipient_group ON notifications (assigned_to, "group", id)
    WHERE "group" IS NOT NULL;
