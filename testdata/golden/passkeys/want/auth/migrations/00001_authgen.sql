-- authgen's tables: users, their provider accounts, database sessions and
-- e-mail verification tokens. This migration is yours once written; add
-- your own migrations after it (goose format: NNNNN_name.sql).
-- Times are milliseconds since the Unix epoch.

-- +goose Up
CREATE TABLE auth_users (
    id             TEXT PRIMARY KEY,
    name           TEXT,
    email          TEXT UNIQUE,
    email_verified INTEGER,
    image          TEXT
);

CREATE TABLE auth_accounts (
    user_id             TEXT NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    type                TEXT NOT NULL,
    provider            TEXT NOT NULL,
    provider_account_id TEXT NOT NULL,
    refresh_token       TEXT,
    access_token        TEXT,
    expires_at          INTEGER,
    token_type          TEXT,
    scope               TEXT,
    id_token            TEXT,
    session_state       TEXT,
    oauth_token_secret  TEXT,
    PRIMARY KEY (provider, provider_account_id)
);
CREATE INDEX auth_accounts_user_id ON auth_accounts (user_id);

-- id is the SHA-256 of the session cookie's token, never the token itself.
CREATE TABLE auth_sessions (
    id      TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    expires INTEGER NOT NULL
);
CREATE INDEX auth_sessions_user_id ON auth_sessions (user_id);
CREATE INDEX auth_sessions_expires ON auth_sessions (expires);

CREATE TABLE auth_verification_tokens (
    identifier TEXT NOT NULL,
    token_hash TEXT PRIMARY KEY,
    expires    INTEGER NOT NULL
);

-- +goose Down
DROP TABLE auth_verification_tokens;
DROP TABLE auth_sessions;
DROP TABLE auth_accounts;
DROP TABLE auth_users;
