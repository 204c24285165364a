-- Database sessions record the provider the user signed in with (the same
-- type as an account's provider). Sessions that exist already keep working,
-- with an empty provider. This migration is yours once written, as
-- 00001_authgen.sql is.

-- +goose Up
ALTER TABLE {{.Prefix}}sessions ADD COLUMN provider VARCHAR(191) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE {{.Prefix}}sessions DROP COLUMN provider;
