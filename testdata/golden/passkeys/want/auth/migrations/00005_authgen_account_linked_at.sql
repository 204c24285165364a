-- Provider accounts record when they were linked to their user (linked_at,
-- in Unix milliseconds), which the user sees in their list of ways to sign
-- in. Accounts that exist already have none (NULL: not known). This
-- migration is yours once written, as 00001_authgen.sql is.

-- +goose Up
ALTER TABLE auth_accounts ADD COLUMN linked_at INTEGER;

-- +goose Down
ALTER TABLE auth_accounts DROP COLUMN linked_at;
