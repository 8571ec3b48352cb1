-- Grain coordination state (a robot's lease and command queue) on PostgreSQL, written by group commit. Applied at
-- every start; each statement is guarded so that a second run changes nothing. The payload is the grain storage
-- serializer's bytes; version is the optimistic-concurrency tag a write must name.

CREATE TABLE IF NOT EXISTS grain_state (
    service_id TEXT   NOT NULL,
    grain_id   TEXT   NOT NULL,
    state_name TEXT   NOT NULL,
    version    BIGINT NOT NULL,
    payload    BYTEA  NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (service_id, grain_id, state_name)
);
