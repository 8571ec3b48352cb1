-- Grain coordination state (a robot's lease and command queue) on SQLite, written by group commit. Applied at every
-- start; each statement is guarded so that a second run changes nothing. The payload is the grain storage
-- serializer's bytes; version is the optimistic-concurrency tag a write must name.

CREATE TABLE IF NOT EXISTS grain_state (
    service_id TEXT    NOT NULL,
    grain_id   TEXT    NOT NULL,
    state_name TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    payload    BLOB    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, state_name)
);
