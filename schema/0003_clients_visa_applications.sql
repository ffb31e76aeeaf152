-- Clients of the office and their visa applications.
CREATE TABLE clients (
    id          bigserial PRIMARY KEY,
    first_name  text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name   text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    email       text NOT NULL DEFAULT '',
    phone       text NOT NULL DEFAULT '',
    notes       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- `q` is a case-insensitive substring match (ILIKE) over names and email. The
-- embedded PostgreSQL has no pg_trgm, and an office's client list is small
-- enough to scan; this index serves the list order and name prefixes.
CREATE INDEX clients_name ON clients (lower(last_name), lower(first_name), id);

CREATE TABLE visa_applications (
    id           bigserial PRIMARY KEY,
    client_id    bigint NOT NULL REFERENCES clients (id) ON DELETE RESTRICT,
    visa_type    text NOT NULL CHECK (length(visa_type) BETWEEN 1 AND 100),
    reference    text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'TO_BE_APPLIED' CHECK (status IN (
        'TO_BE_APPLIED', 'VISA_APPLIED', 'CASE_OPENED', 'GRANTED', 'REJECTED',
        'WITHDRAWN')),
    assigned_to  bigint REFERENCES users (id) ON DELETE SET NULL,
    lodged_at    timestamptz,
    decided_at   timestamptz,
    notes        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX visa_applications_client ON visa_applications (client_id, id);
CREATE INDEX visa_applications_assignee ON visa_applications (assigned_to, status);
CREATE INDEX visa_applications_status ON visa_applications (status, id);
