-- Two-factor sign-in with TOTP: each user's second factor (the secret,
-- sealed by the server, whether a first code confirmed it, and the last
-- time step used, so a code is accepted once) and its single-use recovery
-- codes, stored as SHA-256 hashes. Both go with their user. Times are
-- milliseconds since the Unix epoch. This migration is yours once
-- written, as 00001_authgen.sql is.

-- +goose Up
CREATE TABLE auth_two_factors (
    user_id    TEXT PRIMARY KEY REFERENCES auth_users (id) ON DELETE CASCADE,
    secret     TEXT NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 0,
    last_step  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE auth_two_factor_recovery_codes (
    user_id   TEXT NOT NULL REFERENCES auth_two_factors (user_id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- +goose Down
DROP TABLE auth_two_factor_recovery_codes;
DROP TABLE auth_two_factors;
