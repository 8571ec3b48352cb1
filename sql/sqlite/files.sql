-- File bytes on SQLite: one row per stored file, for every kind of record that carries a file (process
-- versions, storage files). Bulk data: written and read as a stream (zeroblob + incremental blob I/O), never
-- kept in a grain. Applied at every start; each statement is guarded so that a second run changes nothing.

CREATE TABLE IF NOT EXISTS file_blobs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    size       INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    created    INTEGER NOT NULL,
    content    BLOB    NOT NULL
);
