-- The orchestrator's own tables on SQLite (the embedded default). Applied by the silo at every start:
-- each statement is guarded so that a second run changes nothing.
-- Times are Unix milliseconds (UTC); GUIDs are text; flags are 0/1.

CREATE TABLE IF NOT EXISTS orchestrator_schema (
    version    INTEGER NOT NULL PRIMARY KEY,
    applied_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guid          TEXT    NOT NULL UNIQUE,
    login         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    key_hash      TEXT    NOT NULL,
    key_prefix    TEXT    NOT NULL,
    key_created   INTEGER NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    first_name    TEXT,
    last_name     TEXT,
    email         TEXT,
    phone         TEXT,
    company       TEXT,
    department    TEXT,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL,
    is_deleted    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_accounts_login ON accounts (login) WHERE is_deleted = 0;
CREATE UNIQUE INDEX IF NOT EXISTS ux_accounts_key_hash ON accounts (key_hash) WHERE is_deleted = 0;

-- Every key that stopped working (replaced, or its account deleted), written with the change itself. Each
-- silo reads the rows newer than the last it saw about once a second and drops those keys from its key
-- cache: the backstop for a silo the immediate eviction did not reach. Rows older than a day are pruned.
CREATE TABLE IF NOT EXISTS api_key_revocations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash   TEXT    NOT NULL,
    revoked_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_api_key_revocations_revoked_at ON api_key_revocations (revoked_at);

CREATE TABLE IF NOT EXISTS robots (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    guid               TEXT    NOT NULL UNIQUE,
    account_id         INTEGER NOT NULL REFERENCES accounts (id),
    name               TEXT    NOT NULL,
    description        TEXT    NOT NULL DEFAULT '',
    machine            TEXT    NOT NULL DEFAULT '',
    ip                 TEXT    NOT NULL DEFAULT '',
    mac                TEXT    NOT NULL DEFAULT '',
    version            TEXT    NOT NULL DEFAULT '',
    license_expiration INTEGER NOT NULL DEFAULT 0,
    license_string     TEXT    NOT NULL DEFAULT '',
    status             INTEGER NOT NULL DEFAULT 0,
    disabled           INTEGER NOT NULL DEFAULT 0,
    last_heartbeat_at  INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    is_deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_robots_name ON robots (account_id, name) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_robots_account ON robots (account_id, id) WHERE is_deleted = 0;

CREATE TABLE IF NOT EXISTS robot_groups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guid        TEXT    NOT NULL UNIQUE,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    is_deleted  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_robot_groups_name ON robot_groups (account_id, name) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_robot_groups_account ON robot_groups (account_id, id) WHERE is_deleted = 0;

CREATE TABLE IF NOT EXISTS robot_group_members (
    group_id INTEGER NOT NULL REFERENCES robot_groups (id),
    robot_id INTEGER NOT NULL REFERENCES robots (id),
    PRIMARY KEY (group_id, robot_id)
);
CREATE INDEX IF NOT EXISTS ix_robot_group_members_robot ON robot_group_members (robot_id);
