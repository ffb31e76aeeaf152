-- The rules of the tables every write touches (tasks, notifications, history),
-- kept at a cost PostgreSQL pays once per session instead of on every
-- statement.
--
-- A table's CHECK constraints, and the expressions of its generated columns,
-- are read back from their stored text, planned and compiled on every
-- statement that writes the table, and a new task writes all three (its row,
-- its notification, two history entries): that was much of PostgreSQL's work
-- on every write. A domain's check is parsed once per session, in the type
-- cache, and only compiled per statement: the single-column rules become
-- domains, with the same conditions, and the values they refuse are refused
-- as before (23514, check_violation). The two rules that relate two columns
-- stay CHECKs (tasks_completed_at, notifications' read/read_at).
CREATE DOMAIN task_title AS text
    CONSTRAINT task_title_length CHECK (length(VALUE) BETWEEN 1 AND 200);
CREATE DOMAIN task_priority AS text
    CONSTRAINT task_priority_known CHECK (VALUE IN ('LOW', 'MEDIUM', 'HIGH', 'URGENT'));
CREATE DOMAIN task_status AS text
    CONSTRAINT task_status_known CHECK (VALUE IN (
        'PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'));
CREATE DOMAIN task_tags AS text[]
    CONSTRAINT task_tags_at_most_20 CHECK (cardinality(VALUE) <= 20);
CREATE DOMAIN tally AS integer
    CONSTRAINT tally_not_negative CHECK (VALUE >= 0);
CREATE DOMAIN json_fields AS jsonb
    CONSTRAINT json_fields_is_object CHECK (jsonb_typeof(VALUE) = 'object');
CREATE DOMAIN notification_type AS text
    CONSTRAINT notification_type_known CHECK (VALUE IN (
        'TASK_ASSIGNED', 'TASK_UPDATED', 'TASK_COMMENT', 'TASK_MENTIONED',
        'TASK_DUE_SOON', 'TASK_OVERDUE', 'VISA_APPLICATION_ASSIGNED',
        'VISA_STATUS_UPDATE', 'SYSTEM', 'DOCUMENT_EXPIRING', 'DOCUMENT_EXPIRED',
        'TASK_QUEUED', 'TASK_ESCALATED'));
CREATE DOMAIN history_subject AS text
    CONSTRAINT history_subject_form
    CHECK (VALUE ~ '^(client|visa_application|document|task):[0-9]+$');
CREATE DOMAIN history_action AS text
    CONSTRAINT history_action_known CHECK (VALUE IN (
        'created', 'changed', 'deleted', 'assigned', 'claimed', 'released',
        'delegated', 'commented', 'escalated', 'notified', 'delivered', 'read',
        'emailed'));

-- The derived columns (a task's priority rank, a notification's group) are
-- written by the statements that write the row, and by a trigger for a row
-- written without them (from elsewhere: psql, an import): it fills in only
-- what is missing, so Leopard's own writes never call it. A change of
-- priority by anyone recomputes the rank. The rows already there keep their
-- values.
ALTER TABLE tasks ALTER COLUMN priority_rank DROP EXPRESSION;
ALTER TABLE notifications ALTER COLUMN "group" DROP EXPRESSION;

CREATE FUNCTION task_priority_rank(priority text) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE priority
        WHEN 'LOW' THEN 1 WHEN 'MEDIUM' THEN 2 WHEN 'HIGH' THEN 3
        WHEN 'URGENT' THEN 4 END;
CREATE FUNCTION notification_group(meta_info jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE
        WHEN jsonb_typeof(meta_info -> 'task_id') = 'number'
            THEN 'task:' || (meta_info ->> 'task_id')
        WHEN jsonb_typeof(meta_info -> 'document_id') = 'number'
            THEN 'document:' || (meta_info ->> 'document_id')
        WHEN jsonb_typeof(meta_info -> 'visa_application_id') = 'number'
            THEN 'visa_application:' || (meta_info ->> 'visa_application_id')
        END;

ALTER TABLE tasks
    DROP CONSTRAINT tasks_title_check,
    DROP CONSTRAINT tasks_priority_check,
    DROP CONSTRAINT tasks_status_check,
    DROP CONSTRAINT tasks_tags_check,
    DROP CONSTRAINT tasks_comment_count_check,
    ALTER COLUMN title TYPE task_title,
    ALTER COLUMN priority TYPE task_priority,
    ALTER COLUMN status TYPE task_status,
    ALTER COLUMN tags TYPE task_tags,
    ALTER COLUMN comment_count TYPE tally;

ALTER TABLE notifications
    DROP CONSTRAINT notifications_notification_type_check,
    DROP CONSTRAINT notifications_meta_info_check,
    ALTER COLUMN notification_type TYPE notification_type,
    ALTER COLUMN meta_info TYPE json_fields;

ALTER TABLE history
    DROP CONSTRAINT history_subject_check,
    DROP CONSTRAINT history_action_check,
    DROP CONSTRAINT history_changes_check,
    ALTER COLUMN subject TYPE history_subject,
    ALTER COLUMN action TYPE history_action,
    ALTER COLUMN changes TYPE json_fields;

CREATE FUNCTION tasks_fill_priority_rank() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.priority_rank := task_priority_rank(NEW.priority);
    RETURN NEW;
END
$$;
CREATE TRIGGER tasks_priority_rank_missing BEFORE INSERT ON tasks
    FOR EACH ROW WHEN (NEW.priority_rank IS NULL)
    EXECUTE FUNCTION tasks_fill_priority_rank();
CREATE TRIGGER tasks_priority_rank_changed BEFORE UPDATE OF priority, priority_rank ON tasks
    FOR EACH ROW EXECUTE FUNCTION tasks_fill_priority_rank();

CREATE FUNCTION notifications_fill_group() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."group" := notification_group(NEW.meta_info);
    RETURN NEW;
END
$$;
CREATE TRIGGER notifications_group_missing BEFORE INSERT ON notifications
    FOR EACH ROW WHEN (NEW."group" IS NULL
        AND NEW.meta_info ?| ARRAY['task_id', 'document_id', 'visa_application_id'])
    EXECUTE FUNCTION notifications_fill_group();
CREATE TRIGGER notifications_group_changed BEFORE UPDATE OF meta_info, "group"
    ON notifications FOR EACH ROW EXECUTE FUNCTION notifications_fill_group();
