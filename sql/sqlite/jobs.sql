-- Processes, process versions and jobs on SQLite. Applied at every start; each statement is guarded so that
-- a second run changes nothing. Times are Unix milliseconds (UTC); GUIDs are text; flags are 0/1.

CREATE TABLE IF NOT EXISTS processes (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    guid               TEXT    NOT NULL UNIQUE,
    account_id         INTEGER NOT NULL REFERENCES accounts (id),
    name               TEXT    NOT NULL,
    description        TEXT    NOT NULL DEFAULT '',
    min_version_to_run TEXT,
    process_type       INTEGER NOT NULL DEFAULT 0,
    created            INTEGER NOT NULL,
    updated            INTEGER NOT NULL,
    is_deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_processes_name ON processes (account_id, name) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_processes_account ON processes (account_id, id) WHERE is_deleted = 0;

CREATE TABLE IF NOT EXISTS process_versions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    guid              TEXT    NOT NULL UNIQUE,
    account_id        INTEGER NOT NULL REFERENCES accounts (id),
    process_id        INTEGER NOT NULL REFERENCES processes (id),
    name              TEXT    NOT NULL,
    description       TEXT    NOT NULL DEFAULT '',
    process_file_name TEXT    NOT NULL,
    file_blob_id      INTEGER NOT NULL REFERENCES file_blobs (id),
    created           INTEGER NOT NULL,
    updated           INTEGER NOT NULL,
    is_deleted        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_process_versions_process ON process_versions (process_id, id) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_process_versions_account ON process_versions (account_id, id) WHERE is_deleted = 0;
-- The sweep of stored files that no record refers to looks each file up here.
CREATE INDEX IF NOT EXISTS ix_process_versions_blob ON process_versions (file_blob_id);

CREATE TABLE IF NOT EXISTS jobs (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    guid               TEXT    NOT NULL UNIQUE,
    account_id         INTEGER NOT NULL REFERENCES accounts (id),
    process_id         INTEGER NOT NULL REFERENCES processes (id),
    process_version_id INTEGER NOT NULL REFERENCES process_versions (id),
    target_robot_id    INTEGER REFERENCES robots (id),
    target_group_id    INTEGER REFERENCES robot_groups (id),
    robot_id           INTEGER REFERENCES robots (id),
    schedule_id        INTEGER,
    scheduled_at       INTEGER,
    status             INTEGER NOT NULL DEFAULT 0,
    priority           INTEGER NOT NULL DEFAULT 1,
    parameters         TEXT,
    stop_after_seconds INTEGER,
    stop_at            INTEGER,
    message            TEXT    NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    started_at         INTEGER,
    finished_at        INTEGER,
    is_deleted         INTEGER NOT NULL DEFAULT 0,
    -- 1 from the commit of a terminal status until what the job's end entails (the robot's lease, the ended-job
    -- handlers) has been done; a job left at 1 by a crash is picked up again at start and when a silo dies.
    end_pending        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_jobs_account ON jobs (account_id, id) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_jobs_process_live ON jobs (process_id) WHERE is_deleted = 0 AND status IN (0, 1, 4, 6);
CREATE INDEX IF NOT EXISTS ix_jobs_pending ON jobs (account_id, priority DESC, id) WHERE is_deleted = 0 AND status = 0;
CREATE INDEX IF NOT EXISTS ix_jobs_unstarted ON jobs (robot_id) WHERE is_deleted = 0 AND status = 0 AND robot_id IS NOT NULL;
-- The jobs a robot holds (leased, running, stopping, aborting): woken with their robots after a start or a silo's death.
CREATE INDEX IF NOT EXISTS ix_jobs_held ON jobs (id) WHERE is_deleted = 0 AND robot_id IS NOT NULL AND status IN (0, 1, 4, 6);

-- ix_jobs_end_pending is created by SchemaInstaller, after it adds end_pending to a jobs table that predates it.
