-- Two-factor sign-in with TOTP: each user's second factor (the secret,
-- sealed by the server, whether a first code confirmed it, and the last
-- time step used, so a code is accepted once) and its single-use recovery
-- codes, stored as SHA-256 hashes. Both go with their user. Times are UTC
-- DATETIME(6). This migration is yours once written, as 00001_authgen.sql
-- is.

-- +goose Up
CREATE TABLE {{.Prefix}}two_factors (
    user_id    VARCHAR(64) NOT NULL PRIMARY KEY,
    secret     TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL DEFAULT FALSE,
    last_step  BIGINT NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    FOREIGN KEY (user_id) REFERENCES {{.Prefix}}users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE {{.Prefix}}two_factor_recovery_codes (
    user_id   VARCHAR(64) NOT NULL,
    code_hash CHAR(64) NOT NULL,
    PRIMARY KEY (user_id, code_hash),
    FOREIGN KEY (user_id) REFERENCES {{.Prefix}}two_factors (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- +goose Down
DROP TABLE {{.Prefix}}two_factor_recovery_codes;
DROP TABLE {{.Prefix}}two_factors;
