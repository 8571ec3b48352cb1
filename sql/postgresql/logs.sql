-- Text search over log lines (API.md §13 `Text`) on PostgreSQL. Applied at every start after assets.sql, under the
-- installer's advisory lock; idempotent. A trigram GIN index answers `message LIKE '%…%'` (the filter's spelling
-- here: a substring, case as sent) from the index instead of a scan of the table. pg_trgm ships with PostgreSQL's
-- own contrib modules and is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS ix_logs_message_trgm ON logs USING gin (message gin_trgm_ops);
