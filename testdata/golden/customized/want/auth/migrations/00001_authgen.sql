-- authgen's tables: users, their provider accounts, database sessions and
-- e-mail verification tokens. This migration is yours once written; add
-- your own migrations after it (goose format: NNNNN_name.sql).
-- Times are milliseconds since the Unix epoch.

-- +goose Up
CREATE TABLE acme_users (
    id             TEXT PRIMARY KEY,
    name           TEXT,
    email          TEXT UNIQUE,
    email_verified INTEGER,
    image          TEXT
);

CREATE TABLE acme_accounts (
    user_id             TEXT NOT NULL REFERENCES acme_users (id) ON DELETE CASCADE,
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
CREATE INDEX acme_accounts_user_id ON acme_accounts (user_id);

-- id is the SHA-256 of the session cookie's token, never the token itself.
CREATE TABLE acme_sessions (
    id      TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES acme_users (id) ON DELETE CASCADE,
    expires INTEGER NOT NULL
);
CREATE INDEX acme_sessions_user_id ON acme_sessions (user_id);
CREATE INDEX acme_sessions_expires ON acme_sessions (expires);

CREATE TABLE acme_verification_tokens (
    identifier TEXT NOT NULL,
    token_hash TEXT PRIMARY KEY,
    expires    INTEGER NOT NULL
);

-- +goose Down
DROP TABLE acme_verification_tokens;
DROP TABLE acme_sessions;
DROP TABLE acme_accounts;
DROP TABLE acme_users;
