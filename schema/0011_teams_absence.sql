-- Teams and their queues, absences with a delegate, and what the escalation
-- sweeper has already told.

CREATE TABLE teams (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- "Intake" and "intake" would be one team to the people choosing it.
CREATE UNIQUE INDEX teams_name ON teams (lower(name));

-- Leads are members: a lead is a member whose row says so.
CREATE TABLE team_members (
    team_id  bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    is_lead  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (team_id, user_id)
);
-- A user's teams: the queue of `?queue=mine` and the leads of an assignee.
CREATE INDEX team_members_user ON team_members (user_id, team_id);

-- One absence per user, replaced by the next; one that has ended stays until
-- then and reads as none. Who is away is decided by each query at the moment
-- (starts_at <= now() < ends_at), never by a timer a restart would lose.
CREATE TABLE absences (
    user_id      bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    delegate_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    note         text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT absences_dates CHECK (ends_at > starts_at),
    CONSTRAINT absences_someone_else CHECK (delegate_id <> user_id)
);
CREATE INDEX absences_ends_at ON absences (ends_at);

ALTER TABLE tasks
    -- The team whose queue the task waits in while nobody has it; a claimed
    -- task keeps it. Deleting a team with tasks waiting is refused (409) by
    -- the service; the tasks it leaves behind lose the link.
    ADD COLUMN assigned_team         bigint REFERENCES teams (id) ON DELETE SET NULL,
    -- The absent user a task was meant for when it went to their delegate.
    ADD COLUMN delegated_from        bigint REFERENCES users (id) ON DELETE SET NULL,
    -- The escalation sweeper's claims, as the reminders' are: the assignment
    -- (its TASK_ASSIGNED notification's id) and the due date already
    -- escalated, so each is escalated once, however many processes sweep.
    ADD COLUMN unseen_escalated_for  bigint,
    ADD COLUMN overdue_escalated_for timestamptz;

-- A team's queue: its tasks that nobody has and that are not done.
CREATE INDEX tasks_queue ON tasks (assigned_team, id)
    WHERE assigned_to IS NULL AND status IN ('PENDING', 'IN_PROGRESS');
CREATE INDEX tasks_team ON tasks (assigned_team) WHERE assigned_team IS NOT NULL;
