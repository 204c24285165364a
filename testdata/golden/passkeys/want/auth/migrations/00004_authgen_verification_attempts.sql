-- E-mail sign-in codes: each verification token counts the codes tried
-- against it (attempts), so a token whose code was guessed wrong five
-- times is refused (store.VerificationTokens.CountVerificationAttempt).
-- Tokens that exist already start at 0. This migration is yours once
-- written, as 00001_authgen.sql is.

-- +goose Up
ALTER TABLE auth_verification_tokens ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE auth_verification_tokens DROP COLUMN attempts;
