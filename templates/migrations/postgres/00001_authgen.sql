-- authgen's tables: users, their provider accounts, database sessions and
-- e-mail verification tokens. This migration is yours once written; add
-- your own migrations after it (goose format: NNNNN_name.sql).

-- +goose Up
CREATE TABLE {{.Prefix}}users (
    id             TEXT PRIMARY KEY,
    name           TEXT,
    email          TEXT UNIQUE,
    email_verified TIMESTAMPTZ,
    image          TEXT
);

CREATE TABLE {{.Prefix}}accounts (
    user_id             TEXT NOT NULL REFERENCES {{.Prefix}}users (id) ON DELETE CASCADE,
    type                TEXT NOT NULL,
    provider            TEXT NOT NULL,
    provider_account_id TEXT NOT NULL,
    refresh_token       TEXT,
    access_token        TEXT,
    expires_at          BIGINT,
    token_type          TEXT,
    scope               TEXT,
    id_token            TEXT,
    session_state       TEXT,
    oauth_token_secret  TEXT,
    PRIMARY KEY (provider, provider_account_id)
);
CREATE INDEX {{.Prefix}}accounts_user_id ON {{.Prefix}}accounts (user_id);

-- id is the SHA-256 of the session cookie's token, never the token itself.
CREATE TABLE {{.Prefix}}sessions (
    id      TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES {{.Prefix}}users (id) ON DELETE CASCADE,
    expires TIMESTAMPTZ NOT NULL
);
CREATE INDEX {{.Prefix}}sessions_user_id ON {{.Prefix}}sessions (user_id);
CREATE INDEX {{.Prefix}}sessions_expires ON {{.Prefix}}sessions (expires);

CREATE TABLE {{.Prefix}}verification_tokens (
    identifier TEXT NOT NULL,
    token_hash TEXT PRIMARY KEY,
    expires    TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE {{.Prefix}}verification_tokens;
DROP TABLE {{.Prefix}}sessions;
DROP TABLE {{.Prefix}}accounts;
DROP TABLE {{.Prefix}}users;
