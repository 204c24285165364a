-- Sessions record when the user signed in (created_at, the start of the
-- absolute session lifetime, UTC), and the browser's User-Agent (at most
-- 512 characters) and the client's address at sign-in, which the user sees
-- in their list of sessions. Sessions that exist already get the time of
-- this migration as their sign-in time, so the absolute lifetime of a
-- session from before the upgrade counts from the upgrade, and an empty
-- user agent and address. This migration is yours once written, as
-- 00001_authgen.sql is.

-- +goose Up
ALTER TABLE {{.Prefix}}sessions ADD COLUMN created_at DATETIME(6) NULL;
ALTER TABLE {{.Prefix}}sessions ADD COLUMN user_agent VARCHAR(512) NOT NULL DEFAULT '';
ALTER TABLE {{.Prefix}}sessions ADD COLUMN ip VARCHAR(64) NOT NULL DEFAULT '';
UPDATE {{.Prefix}}sessions SET created_at = UTC_TIMESTAMP(6) WHERE created_at IS NULL;

-- +goose Down
ALTER TABLE {{.Prefix}}sessions DROP COLUMN ip;
ALTER TABLE {{.Prefix}}sessions DROP COLUMN user_agent;
ALTER TABLE {{.Prefix}}sessions DROP COLUMN created_at;
