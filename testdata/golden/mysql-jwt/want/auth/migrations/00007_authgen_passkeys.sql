-- Passkeys (WebAuthn credentials): each user's registered credentials,
-- by credential ID (base64url), with the COSE public key, the
-- authenticator's model (AAGUID) and transports (comma-joined), its
-- signature counter and backup flags. They go with their user. The ID is
-- ASCII with a binary collation: base64url is case-sensitive, and up to
-- 1364 characters (a 1023-byte credential ID) fit InnoDB's index limit.
-- Times are UTC DATETIME(6). This migration is yours once written, as
-- 00001_authgen.sql is.

-- +goose Up
CREATE TABLE auth_passkeys (
    id               VARCHAR(1364) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    user_id          VARCHAR(64) NOT NULL,
    name             TEXT NOT NULL,
    public_key       BLOB NOT NULL,
    attestation_type VARCHAR(64) NOT NULL DEFAULT '',
    aaguid           VARBINARY(16) NOT NULL,
    transports       TEXT NOT NULL,
    sign_count       BIGINT NOT NULL DEFAULT 0,
    backup_eligible  BOOLEAN NOT NULL DEFAULT FALSE,
    backup_state     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       DATETIME(6) NOT NULL,
    last_used_at     DATETIME(6),
    INDEX auth_passkeys_user_id (user_id),
    FOREIGN KEY (user_id) REFERENCES auth_users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- +goose Down
DROP TABLE auth_passkeys;
