-- Refresh sessions: one per sign-in. Each refresh rotates its token; the
-- tokens of a session form its family, and presenting one already used
-- revokes the whole session (a stolen token and its owner both lose it).
CREATE TABLE refresh_sessions (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    -- logout, reuse, password, deactivated: why it ended, for whoever looks.
    revoked_why text
);

CREATE INDEX refresh_sessions_live_by_user ON refresh_sessions (user_id)
    WHERE revoked_at IS NULL;

-- Only a hash of each token is kept: the table read by someone else signs no
-- one in. A token is 32 random bytes, so an unsalted SHA-256 is enough.
CREATE TABLE refresh_tokens (
    token_hash  text PRIMARY KEY,
    session_id  bigint NOT NULL REFERENCES refresh_sessions (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

-- Failed sign-ins of the last 15 minutes, for the throttle; in the database so
-- that every process counts the same. An attempt is written before its
-- password is checked (and removed again if it succeeds), so concurrent
-- attempts cannot all slip under the limit.
CREATE TABLE login_failures (
    id          bigserial PRIMARY KEY,
    username    text NOT NULL,  -- lower-cased, whether or not such a user exists
    address     text NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_failures_by_username ON login_failures (username, failed_at);
CREATE INDEX login_failures_by_address ON login_failures (address, failed_at);
CREATE INDEX login_failures_by_time ON login_failures (failed_at);
