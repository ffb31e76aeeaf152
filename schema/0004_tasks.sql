-- Tasks that staff assign each other, about clients and their visa applications.
CREATE TABLE tasks (
    id                    bigserial PRIMARY KEY,
    title                 text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    detail                text NOT NULL DEFAULT '',
    priority              text NOT NULL DEFAULT 'MEDIUM'
                          CHECK (priority IN ('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
    -- Sorting by the text would put HIGH before LOW; the rank keeps the order
    -- of urgency, and is derived so it can never disagree with `priority`.
    priority_rank         smallint GENERATED ALWAYS AS (CASE priority
                              WHEN 'LOW' THEN 1 WHEN 'MEDIUM' THEN 2
                              WHEN 'HIGH' THEN 3 WHEN 'URGENT' THEN 4 END) STORED,
    status                text NOT NULL DEFAULT 'PENDING' CHECK (status IN (
        'PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
    due_date              timestamptz,
    -- Users are deactivated, not deleted; should one be deleted all the same,
    -- their tasks stay and lose the assignee.
    assigned_to           bigint REFERENCES users (id) ON DELETE SET NULL,
    assigned_by           bigint REFERENCES users (id) ON DELETE SET NULL,
    created_by            bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    -- Deleting a client with tasks answers 409 (the contract): RESTRICT backs
    -- that up. A deleted visa application leaves its tasks with its client.
    client_id             bigint REFERENCES clients (id) ON DELETE RESTRICT,
    visa_application_id   bigint REFERENCES visa_applications (id) ON DELETE SET NULL,
    tags                  text[] NOT NULL DEFAULT '{}'
                          CHECK (cardinality(tags) <= 20),
    -- Kept by the comment writer in the transaction that adds the comment (it
    -- locks the task row anyway), so lists never count comments per row.
    comment_count         integer NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
    completed_at          timestamptz,
    -- The due date a reminder was last sent for: the reminder sweeper claims a
    -- reminder by setting these, so each is sent once per due date.
    due_soon_notified_for timestamptz,
    overdue_notified_for  timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tasks_completed_at CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL))
);

-- "My tasks" (assigned_to, with or without status).
CREATE INDEX tasks_assignee_status ON tasks (assigned_to, status);
-- due_before / due_after and the due-date orderings.
CREATE INDEX tasks_due_date ON tasks (due_date, id);
-- overdue=true and the reminder sweeper: only tasks not done, with a due date.
CREATE INDEX tasks_due_open ON tasks (due_date)
    WHERE due_date IS NOT NULL AND status IN ('PENDING', 'IN_PROGRESS');
CREATE INDEX tasks_priority ON tasks (priority_rank, id);
CREATE INDEX tasks_created_at ON tasks (created_at, id);
CREATE INDEX tasks_tags ON tasks USING gin (tags);
CREATE INDEX tasks_created_by ON tasks (created_by, id);
CREATE INDEX tasks_client ON tasks (client_id) WHERE client_id IS NOT NULL;
CREATE INDEX tasks_visa_application ON tasks (visa_application_id)
    WHERE visa_application_id IS NOT NULL;

CREATE TABLE task_comments (
    id          bigserial PRIMARY KEY,
    task_id     bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    author_id   bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A task's comments in order, and the cascade when a task is deleted.
CREATE INDEX task_comments_task ON task_comments (task_id, id);
