-- Passkeys (WebAuthn credentials): each user's registered credentials,
-- by credential ID (base64url), with the COSE public key, the
-- authenticator's model (AAGUID) and transports (comma-joined), its
-- signature counter and backup flags. They go with their user. Times are
-- milliseconds since the Unix epoch. This migration is yours once written,
-- as 00001_authgen.sql is.

-- +goose Up
CREATE TABLE auth_passkeys (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    name             TEXT NOT NULL DEFAULT '',
    public_key       BLOB NOT NULL,
    attestation_type TEXT NOT NULL DEFAULT '',
    aaguid           BLOB NOT NULL,
    transports       TEXT NOT NULL DEFAULT '',
    sign_count       INTEGER NOT NULL DEFAULT 0,
    backup_eligible  INTEGER NOT NULL DEFAULT 0,
    backup_state     INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    last_used_at     INTEGER
);

CREATE INDEX auth_passkeys_user_id ON auth_passkeys (user_id);

-- +goose Down
DROP TABLE auth_passkeys;
