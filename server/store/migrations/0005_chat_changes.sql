-- Which chats changed, in order, and which process changed them: each server tells its own client about
-- what another process (a second VS Code window, the CLI) did to the same file. Rows are written by TEMP
-- triggers each connection creates with its own origin (store/chatChanges.ts) and pruned after minutes.
CREATE TABLE chat_changes (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id    TEXT NOT NULL,
  origin     TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
CREATE INDEX chat_changes_changed_at ON chat_changes (changed_at);
