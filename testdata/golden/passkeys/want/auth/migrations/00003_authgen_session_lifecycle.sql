-- Sessions record when the user signed in (created_at, the start of the
-- absolute session lifetime, in Unix milliseconds), and the browser's
-- User-Agent and the client's address at sign-in, which the user sees in
-- their list of sessions. Sessions that exist already get the time of this
-- migration as their sign-in time, so the absolute lifetime of a session
-- from before the upgrade counts from the upgrade, and an empty user agent
-- and address. This migration is yours once written, as 00001_authgen.sql
-- is.

-- +goose Up
ALTER TABLE auth_sessions ADD COLUMN created_at INTEGER;
ALTER TABLE auth_sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';
UPDATE auth_sessions SET created_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE created_at IS NULL;

-- +goose Down
ALTER TABLE auth_sessions DROP COLUMN ip;
ALTER TABLE auth_sessions DROP COLUMN user_agent;
ALTER TABLE auth_sessions DROP COLUMN created_at;
