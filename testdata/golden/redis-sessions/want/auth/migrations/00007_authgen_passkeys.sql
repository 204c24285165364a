-- Passkeys (WebAuthn credentials): each user's registered credentials,
-- by credential ID (base64url), with the COSE public key, the
-- authenticator's model (AAGUID) and transports (comma-joined), its
-- signature counter and backup flags. They go with their user. This
-- migration is yours once written, as 00001_authgen.sql is.

-- +goose Up
CREATE TABLE auth_passkeys (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    name             TEXT NOT NULL DEFAULT '',
    public_key       BYTEA NOT NULL,
    attestation_type TEXT NOT NULL DEFAULT '',
    aaguid           BYTEA NOT NULL,
    transports       TEXT NOT NULL DEFAULT '',
    sign_count       BIGINT NOT NULL DEFAULT 0,
    backup_eligible  BOOLEAN NOT NULL DEFAULT FALSE,
    backup_state     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL,
    last_used_at     TIMESTAMPTZ
);

CREATE INDEX auth_passkeys_user_id ON auth_passkeys (user_id);

-- +goose Down
DROP TABLE auth_passkeys;
