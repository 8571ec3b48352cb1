-- Assets (API.md §11) and logs (§13) on SQLite. Applied at every start after orchestrator.sql; idempotent.
-- Times are Unix milliseconds (UTC); GUIDs are text.

-- The secret key's check value: a keyed hash of a constant, written by the first silo to start and
-- compared by every later start, so that a silo given another key refuses to start instead of reading garbage.
CREATE TABLE IF NOT EXISTS orchestrator_secret_check (
    name        TEXT    NOT NULL PRIMARY KEY,
    check_value TEXT    NOT NULL,
    created     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS assets (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    guid                TEXT    NOT NULL UNIQUE,
    account_id          INTEGER NOT NULL REFERENCES accounts (id),
    name                TEXT    NOT NULL,
    description         TEXT    NOT NULL DEFAULT '',
    type                INTEGER NOT NULL,
    text                TEXT    NOT NULL DEFAULT '',
    -- AES-GCM: version byte, nonce, ciphertext and tag, Base64; never the password itself.
    password_cipher     TEXT,
    password_expiration INTEGER,
    robot_type          INTEGER NOT NULL DEFAULT 3,
    robot_id            INTEGER REFERENCES robots (id),
    robot_group_id      INTEGER REFERENCES robot_groups (id),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    is_deleted          INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_assets_name ON assets (account_id, name) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_assets_account ON assets (account_id, id) WHERE is_deleted = 0;

CREATE TABLE IF NOT EXISTS logs (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    guid                 TEXT    NOT NULL UNIQUE,
    account_id           INTEGER NOT NULL REFERENCES accounts (id),
    robot_guid           TEXT,
    robot_id             INTEGER,
    job_guid             TEXT,
    -- The job and its version when the line names a job of the account (or, without one, a version of it).
    job_id               INTEGER,
    process_version_guid TEXT,
    process_version_id   INTEGER,
    level                INTEGER NOT NULL,
    message              TEXT    NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
-- Every list is one account's, newest or oldest first by id (the keyset): an index per filter with the id next, so
-- a page walks one index from its cursor. The account's and the robot's indexes carry the level and the time after
-- the id: a MinLevel or From/To filter is then tested on the index entry, and only the lines that pass are read
-- from the table (a robot's errors among a million of its lines cost an index walk, not a million row reads).
DROP INDEX IF EXISTS ix_logs_account;
DROP INDEX IF EXISTS ix_logs_robot;
DROP INDEX IF EXISTS ix_logs_level;
CREATE INDEX IF NOT EXISTS ix_logs_account_scan ON logs (account_id, id, level, created_at);
CREATE INDEX IF NOT EXISTS ix_logs_robot_scan ON logs (account_id, robot_guid, id, level, created_at) WHERE robot_guid IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_logs_job ON logs (account_id, job_guid, id) WHERE job_guid IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_logs_process_version ON logs (account_id, process_version_guid, id) WHERE process_version_guid IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_logs_created ON logs (account_id, created_at);
