-- Tokens issued before a user was deactivated stay refused after the user is
-- reactivated: an access token counts only if issued (its `iat`) after this
-- moment. Null: the user was never deactivated, every token counts.
ALTER TABLE users ADD COLUMN tokens_valid_after timestamptz;
