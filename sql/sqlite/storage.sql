-- Storage (API.md §12) on SQLite: folders and the files in them. Applied at every start after files.sql; idempotent.
-- Times are Unix milliseconds (UTC); GUIDs are text. A file's bytes are a row of file_blobs: deleting a file
-- (or its folder) deletes that row in the same transaction, and ON DELETE SET NULL clears the reference.

CREATE TABLE IF NOT EXISTS folders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guid        TEXT    NOT NULL UNIQUE,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    is_deleted  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_folders_name ON folders (account_id, name) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_folders_account ON folders (account_id, id) WHERE is_deleted = 0;

CREATE TABLE IF NOT EXISTS files (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    guid         TEXT    NOT NULL UNIQUE,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    folder_id    INTEGER REFERENCES folders (id),
    name         TEXT    NOT NULL,
    file_blob_id INTEGER REFERENCES file_blobs (id) ON DELETE SET NULL,
    created      INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    is_deleted   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_files_account ON files (account_id, id) WHERE is_deleted = 0;
CREATE INDEX IF NOT EXISTS ix_files_folder ON files (folder_id, id) WHERE is_deleted = 0;
-- Deleting a blob looks up the file that refers to it.
CREATE INDEX IF NOT EXISTS ix_files_blob ON files (file_blob_id);
