-- Console sessions, one row per sign-in, so signing out ends one everywhere and a restart keeps it.
-- id is the SHA-256 of the random secret in the browser's cookie (the table alone opens nothing);
-- token_fingerprint is an HMAC of AR_API_TOKEN: once the token changes no session made with the
-- old one matches any more.
CREATE TABLE ar_console_sessions (
    id                 text PRIMARY KEY,
    token_fingerprint  text        NOT NULL,
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL
);
CREATE INDEX ar_console_sessions_expires_idx ON ar_console_sessions (expires_at);
