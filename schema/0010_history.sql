-- A case's history: every change to a client, visa application, document or
-- task, and every notification about one, with who did it and when. No API
-- changes or deletes an entry (a trigger refuses both).
--
-- Stored here: the changes, and each notification's "notified" entry, written
-- by the statement that inserts the notification. Its later facts (delivered,
-- read, emailed) are read from the notification itself while it exists (the
-- stream and the read routes write nothing more), and stored here, under the
-- ids they were shown with, once it is deleted; a read undone by "unread" is
-- stored then too. The ids step by 4 so that a "notified" entry's facts have
-- the ids after it: delivered +1, read +2, emailed +3.
CREATE TABLE history (
    id                   bigserial PRIMARY KEY,
    at                   timestamptz NOT NULL DEFAULT now(),
    actor_id             bigint,
    subject              text NOT NULL
                         CHECK (subject ~ '^(client|visa_application|document|task):[0-9]+$'),
    action               text NOT NULL CHECK (action IN (
        'created', 'changed', 'deleted', 'assigned', 'claimed', 'released',
        'delegated', 'commented', 'escalated', 'notified', 'delivered', 'read',
        'emailed')),
    changes              jsonb NOT NULL DEFAULT '{}'::jsonb
                         CHECK (jsonb_typeof(changes) = 'object'),
    recipient_id         bigint,
    notification_id      bigint,
    -- The case the subject belongs to, for a client's and an application's
    -- history (ids, not foreign keys: the history outlives what it tells of).
    client_id            bigint,
    visa_application_id  bigint
);
ALTER SEQUENCE history_id_seq INCREMENT BY 4;

CREATE INDEX history_subject ON history (subject, id);
CREATE INDEX history_client ON history (client_id, id) WHERE client_id IS NOT NULL;
CREATE INDEX history_visa_application ON history (visa_application_id, id)
    WHERE visa_application_id IS NOT NULL;
CREATE INDEX history_notified ON history (notification_id) WHERE action = 'notified';

CREATE FUNCTION history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the history is append-only';
END
$$;
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION history_is_append_only();
