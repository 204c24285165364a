-- Database sessions record the provider the user signed in with. Sessions
-- that exist already keep working, with an empty provider. This migration
-- is yours once written, as 00001_authgen.sql is.

-- +goose Up
ALTER TABLE auth_sessions ADD COLUMN provider TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE auth_sessions DROP COLUMN provider;
