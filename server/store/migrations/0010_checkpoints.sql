-- Checkpoints: every file change the agent made (write_file, edit_files, a command in a git workspace), with
-- the content before and after as hashes of blobs kept in <data dir>/checkpoints (never in the workspace or
-- its git). A restore writes old content back and is recorded as changes of its own, so it can be undone.
CREATE TABLE file_restores (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id       TEXT NOT NULL REFERENCES chats (id),
  -- Restore to this message: the changes after it went back (null: a chosen set, e.g. one file or one turn).
  to_message_id INTEGER,
  created_at    INTEGER NOT NULL,
  undone_at     INTEGER
);

CREATE TABLE file_changes (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id      TEXT NOT NULL REFERENCES chats (id),
  -- The assistant message whose tool call made the change.
  message_id   INTEGER,
  tool_call_id TEXT,
  -- Absolute real path.
  path         TEXT NOT NULL,
  -- sha256 of the content; null: the file did not exist (before) or was deleted (after).
  before_hash  TEXT,
  after_hash   TEXT,
  added        INTEGER NOT NULL DEFAULT 0,
  removed      INTEGER NOT NULL DEFAULT 0,
  source       TEXT NOT NULL CHECK (source IN ('write_file', 'edit_files', 'execute', 'restore')),
  -- Changes a restore made carry its id; changes a restore undid carry it in undone_by.
  restore_id   INTEGER REFERENCES file_restores (id),
  undone_by    INTEGER REFERENCES file_restores (id),
  state        TEXT NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'kept', 'undone')),
  created_at   INTEGER NOT NULL
);
CREATE INDEX file_changes_by_chat ON file_changes (chat_id, id);
