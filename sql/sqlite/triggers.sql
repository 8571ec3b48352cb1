-- Triggers on SQLite. Applied at every start; each statement is guarded so that a second run changes nothing.
-- Times are Unix milliseconds (UTC); GUIDs are text; flags are 0/1.
-- runs, skipped, last_occurrence, last_run_at and last_job_guid are what the trigger has done: its grain writes
-- them in one statement per occurrence, before the job of that occurrence exists (exactly once per occurrence).

CREATE TABLE IF NOT EXISTS triggers (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    guid                 TEXT    NOT NULL UNIQUE,
    account_id           INTEGER NOT NULL REFERENCES accounts (id),
    name                 TEXT    NOT NULL,
    description          TEXT    NOT NULL DEFAULT '',
    status               INTEGER NOT NULL DEFAULT 1,
    processing_type      INTEGER NOT NULL,
    robot_type           INTEGER NOT NULL DEFAULT 0,
    robot_id             INTEGER REFERENCES robots (id),
    robot_group_id       INTEGER REFERENCES robot_groups (id),
    process_id           INTEGER NOT NULL REFERENCES processes (id),
    cron_tab             TEXT,
    time_zone            TEXT    NOT NULL DEFAULT 'UTC',
    start_at             INTEGER,
    end_at               INTEGER,
    max_runs             INTEGER NOT NULL DEFAULT 0,
    max_running_robots   INTEGER NOT NULL DEFAULT 1,
    check_missed_trigger INTEGER NOT NULL DEFAULT 0,
    calendar_asset_id    INTEGER REFERENCES assets (id),
    runs                 INTEGER NOT NULL DEFAULT 0,
    skipped              INTEGER NOT NULL DEFAULT 0,
    last_occurrence      INTEGER NOT NULL,
    last_run_at          INTEGER,
    last_job_guid        TEXT,
    created              INTEGER NOT NULL,
    updated              INTEGER NOT NULL,
    is_deleted           INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_triggers_name ON triggers (account_id, name) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_triggers_account ON triggers (account_id, id) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_triggers_enabled ON triggers (id) WHERE is_deleted = 0 AND status = 1;
-- A change of a process's versions is told to its enabled triggers.
CREATE INDEX IF NOT EXISTS ix_triggers_process ON triggers (process_id) WHERE is_deleted = 0 AND status = 1;
-- The enabled triggers a robot's or a robot group's delete is told to.
CREATE INDEX IF NOT EXISTS ix_triggers_robot ON triggers (robot_id) WHERE is_deleted = 0 AND status = 1 AND robot_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_triggers_group ON triggers (robot_group_id) WHERE is_deleted = 0 AND status = 1 AND robot_group_id IS NOT NULL;
-- The enabled triggers a Calendar asset's change is told to.
CREATE INDEX IF NOT EXISTS ix_triggers_calendar ON triggers (calendar_asset_id) WHERE is_deleted = 0 AND status = 1 AND calendar_asset_id IS NOT NULL;

-- A continuous trigger counts its jobs that are pending or running.
CREATE INDEX IF NOT EXISTS ix_jobs_schedule_live ON jobs (schedule_id) WHERE is_deleted = 0 AND status IN (0, 1, 4, 6);
