-- Users: staff and admins who sign in, assign tasks and receive notifications.
CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL,
    password_hash text NOT NULL,
    full_name     text NOT NULL DEFAULT '',
    email         text NOT NULL DEFAULT '',
    role          text NOT NULL DEFAULT 'staff' CHECK (role IN ('admin', 'staff')),
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_username_format CHECK (username ~ '^[A-Za-z0-9_.-]{1,150}$')
);

-- Usernames are unique whatever their case, so @mentions are unambiguous.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
