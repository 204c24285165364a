-- authgen's tables: users, their provider accounts, database sessions and
-- e-mail verification tokens. This migration is yours once written; add
-- your own migrations after it (goose format: NNNNN_name.sql).
-- Times are UTC DATETIME(6); keys are utf8mb4 VARCHARs InnoDB can index.

-- +goose Up
CREATE TABLE {{.Prefix}}users (
    id             VARCHAR(64) NOT NULL PRIMARY KEY,
    name           TEXT,
    email          VARCHAR(320) UNIQUE,
    email_verified DATETIME(6),
    image          TEXT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE {{.Prefix}}accounts (
    user_id             VARCHAR(64) NOT NULL,
    type                VARCHAR(32) NOT NULL,
    provider            VARCHAR(191) NOT NULL,
    provider_account_id VARCHAR(255) NOT NULL,
    refresh_token       TEXT,
    access_token        TEXT,
    expires_at          BIGINT,
    token_type          VARCHAR(64),
    scope               TEXT,
    id_token            TEXT,
    session_state       TEXT,
    oauth_token_secret  TEXT,
    PRIMARY KEY (provider, provider_account_id),
    INDEX {{.Prefix}}accounts_user_id (user_id),
    FOREIGN KEY (user_id) REFERENCES {{.Prefix}}users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- id is the SHA-256 of the session cookie's token, never the token itself.
CREATE TABLE {{.Prefix}}sessions (
    id      CHAR(64) NOT NULL PRIMARY KEY,
    user_id VARCHAR(64) NOT NULL,
    expires DATETIME(6) NOT NULL,
    INDEX {{.Prefix}}sessions_user_id (user_id),
    INDEX {{.Prefix}}sessions_expires (expires),
    FOREIGN KEY (user_id) REFERENCES {{.Prefix}}users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE {{.Prefix}}verification_tokens (
    identifier VARCHAR(320) NOT NULL,
    token_hash CHAR(64) NOT NULL PRIMARY KEY,
    expires    DATETIME(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- +goose Down
DROP TABLE {{.Prefix}}verification_tokens;
DROP TABLE {{.Prefix}}sessions;
DROP TABLE {{.Prefix}}accounts;
DROP TABLE {{.Prefix}}users;
