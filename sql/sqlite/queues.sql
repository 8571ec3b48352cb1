-- Queues and their tasks on SQLite. Applied by the silo at every start; every statement is guarded.
-- Times are Unix milliseconds (UTC); GUIDs are text; flags are 0/1.

CREATE TABLE IF NOT EXISTS queues (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    guid               TEXT    NOT NULL UNIQUE,
    account_id         INTEGER NOT NULL REFERENCES accounts (id),
    name               TEXT    NOT NULL,
    description        TEXT    NOT NULL DEFAULT '',
    unique_tasks       INTEGER NOT NULL DEFAULT 0,
    auto_change_status INTEGER NOT NULL DEFAULT 0,
    created            INTEGER NOT NULL,
    updated            INTEGER NOT NULL,
    is_deleted         INTEGER NOT NULL DEFAULT 0,
    -- Live tasks per status, kept by the queue grain in the transaction that changes them, so reading the
    -- counts costs the same at any depth.
    count_new          INTEGER NOT NULL DEFAULT 0,
    count_in_progress  INTEGER NOT NULL DEFAULT 0,
    count_successful   INTEGER NOT NULL DEFAULT 0,
    count_failed       INTEGER NOT NULL DEFAULT 0,
    count_abandoned    INTEGER NOT NULL DEFAULT 0,
    count_retried      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_queues_name ON queues (account_id, name) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_queues_account ON queues (account_id, id) WHERE is_deleted = 0;

CREATE TABLE IF NOT EXISTS tasks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guid        TEXT    NOT NULL UNIQUE,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    queue_id    INTEGER NOT NULL REFERENCES queues (id),
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    comment     TEXT    NOT NULL DEFAULT '',
    status      INTEGER NOT NULL DEFAULT 0,
    job_guid    TEXT,
    robot_guid  TEXT,
    priority    INTEGER NOT NULL DEFAULT 1,
    created     INTEGER NOT NULL,
    started     INTEGER,
    postponed   INTEGER,
    deadline    INTEGER,
    -- The deadline as the dispatch order reads it: soonest first, none last.
    deadline_order INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    retries     INTEGER NOT NULL DEFAULT 0,
    parent_task INTEGER,
    tags        TEXT    NOT NULL DEFAULT '',
    parameters  TEXT,
    result      TEXT,
    -- 1 while the task is New but postponed to a time not yet reached: it waits outside the dispatch index
    -- until the queue grain releases it, so postponed tasks never cost a take anything.
    waiting     INTEGER NOT NULL DEFAULT 0,
    -- 1 while the task counts for its queue's UniqueTasks rule.
    unique_name INTEGER NOT NULL DEFAULT 0,
    is_deleted  INTEGER NOT NULL DEFAULT 0
);
-- The dispatch order: the next task is the first row of this index.
CREATE INDEX IF NOT EXISTS ix_tasks_next ON tasks (queue_id, priority DESC, deadline_order, id) WHERE status = 0 AND is_deleted = 0 AND waiting = 0;
-- Waiting (postponed) New tasks by the time they become eligible.
CREATE INDEX IF NOT EXISTS ix_tasks_waiting ON tasks (queue_id, postponed) WHERE status = 0 AND is_deleted = 0 AND waiting = 1;
-- InProgress tasks by start, for the abandon sweep; and by job, for AutoChangeStatus.
CREATE INDEX IF NOT EXISTS ix_tasks_started ON tasks (queue_id, started) WHERE status = 1 AND is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_tasks_job ON tasks (job_guid) WHERE status = 1 AND is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_tasks_queue ON tasks (queue_id, id) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_tasks_name ON tasks (account_id, name, id) WHERE is_deleted = 0;
CREATE UNIQUE INDEX IF NOT EXISTS ux_tasks_unique_name ON tasks (queue_id, name) WHERE unique_name = 1 AND is_deleted = 0 AND status IN (0, 1);
