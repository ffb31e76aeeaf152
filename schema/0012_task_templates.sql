-- Checklists that start themselves: task templates per visa type and status.
-- When an application is created with, or changes to, a template's status,
-- the template makes its tasks in that transaction, once per application.
CREATE TABLE task_templates (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- null: every type; else equal ignoring case.
    visa_type   text CHECK (length(visa_type) BETWEEN 1 AND 100),
    on_status   text NOT NULL CHECK (on_status IN ('TO_BE_APPLIED', 'VISA_APPLIED',
                    'CASE_OPENED', 'GRANTED', 'REJECTED', 'WITHDRAWN')),
    active      boolean NOT NULL DEFAULT true,
    -- [{title, detail, priority, tags, due_in_business_days, assign_to}], 1–50.
    tasks       jsonb NOT NULL CHECK (jsonb_typeof(tasks) = 'array'
                    AND jsonb_array_length(tasks) BETWEEN 1 AND 50),
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Names are unique whatever their case: "Partner lodged" is one template.
CREATE UNIQUE INDEX task_templates_name ON task_templates (lower(name));
CREATE INDEX task_templates_status ON task_templates (on_status) WHERE active;

-- Which template made its tasks for which application: the primary key is
-- what lets one of two concurrent status changes make them, and a task
-- deleted later does not make the template run again.
CREATE TABLE template_runs (
    visa_application_id bigint NOT NULL
                        REFERENCES visa_applications (id) ON DELETE CASCADE,
    template_id         bigint NOT NULL REFERENCES task_templates (id) ON DELETE CASCADE,
    ran_at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (visa_application_id, template_id)
);
CREATE INDEX template_runs_template ON template_runs (template_id);

-- A task a template made; deleting the template leaves the task, unlinked.
ALTER TABLE tasks ADD COLUMN template_id bigint
    REFERENCES task_templates (id) ON DELETE SET NULL;
CREATE INDEX tasks_template ON tasks (template_id) WHERE template_id IS NOT NULL;
