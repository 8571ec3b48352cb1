-- Text search over log lines (API.md §13 `Text`) on SQLite. Applied at every start after assets.sql; idempotent.
-- An FTS5 index of trigrams over logs.message, kept in step with the table by triggers, so that every insert and
-- every purge changes the index in the statement's own transaction. External content: the index stores the trigrams,
-- not a second copy of the messages. case_sensitive 1 keeps the filter's meaning (a substring, case as sent). A
-- database that had logs before this index existed has it filled by the schema installer when it is first created.
CREATE VIRTUAL TABLE IF NOT EXISTS logs_text USING fts5 (message, content = 'logs', content_rowid = 'id', tokenize = 'trigram case_sensitive 1');
CREATE TRIGGER IF NOT EXISTS logs_text_insert AFTER INSERT ON logs BEGIN
    INSERT INTO logs_text (rowid, message) VALUES (new.id, new.message);
END;
CREATE TRIGGER IF NOT EXISTS logs_text_delete AFTER DELETE ON logs BEGIN
    INSERT INTO logs_text (logs_text, rowid, message) VALUES ('delete', old.id, old.message);
END;
CREATE TRIGGER IF NOT EXISTS logs_text_update AFTER UPDATE OF message ON logs BEGIN
    INSERT INTO logs_text (logs_text, rowid, message) VALUES ('delete', old.id, old.message);
    INSERT INTO logs_text (rowid, message) VALUES (new.id, new.message);
END;
