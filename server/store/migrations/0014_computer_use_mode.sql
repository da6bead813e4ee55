-- foreign_keys: off
-- Computer-use subagents (chat mode `computer_use`). SQLite cannot change a CHECK in place, so `chats` and
-- `chat_queued_messages` are rebuilt with the same columns (foreign keys off for this migration; the runner
-- checks them before it commits), then their indexes and triggers are made again. Triggers of other tables
-- name `chats` in their bodies: with legacy_alter_table the rename leaves them alone (they read the new table).
PRAGMA legacy_alter_table = ON;
CREATE TABLE chats_rebuilt (
  id                    TEXT PRIMARY KEY,
  workspace             TEXT NOT NULL,
  workspace_folder      TEXT,
  title                 TEXT NOT NULL DEFAULT '',
  status                TEXT NOT NULL CHECK (status IN ('waiting', 'pending', 'running', 'paused', 'completed', 'error', 'requires_action')),
  worker_id             TEXT,
  started_at            INTEGER,
  heartbeat_at          INTEGER,
  -- How often a turn of this chat was taken back from a dead worker; bounds crash loops.
  recovery_count        INTEGER NOT NULL DEFAULT 0,
  last_error            TEXT,
  parent_chat_id        TEXT REFERENCES chats (id),
  root_chat_id          TEXT REFERENCES chats (id),
  mode                  TEXT NOT NULL DEFAULT 'default' CHECK (mode IN ('default', 'plan', 'explore', 'computer_use')),
  client_type           TEXT NOT NULL DEFAULT 'api' CHECK (client_type IN ('ui', 'api')),
  labels                TEXT NOT NULL DEFAULT '{}',
  pin_order             INTEGER NOT NULL DEFAULT 0 CHECK (pin_order >= 0),
  -- Pinned chats sort by pin_order, the rest after them; lets one index serve the list order.
  pin_sort              INTEGER GENERATED ALWAYS AS (CASE WHEN pin_order > 0 THEN pin_order ELSE 2147483647 END) VIRTUAL,
  archived              INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  last_model_config_id  TEXT REFERENCES chat_model_configs (id),
  last_read_message_id  INTEGER,
  mcp_server_ids        TEXT NOT NULL DEFAULT '[]',
  dynamic_tools         TEXT,
  last_injected_context TEXT,
  system_prompt         TEXT,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  parent_tool_call_id   TEXT,
  run_id                TEXT,
  reserved_by           TEXT,
  permission_mode       TEXT CHECK (permission_mode IN ('default', 'acceptEdits', 'bypass')),
  session_key           TEXT
);
INSERT INTO chats_rebuilt (id, workspace, workspace_folder, title, status, worker_id, started_at, heartbeat_at, recovery_count, last_error,
    parent_chat_id, root_chat_id, mode, client_type, labels, pin_order, archived, last_model_config_id, last_read_message_id, mcp_server_ids,
    dynamic_tools, last_injected_context, system_prompt, created_at, updated_at, parent_tool_call_id, run_id, reserved_by, permission_mode, session_key)
  SELECT id, workspace, workspace_folder, title, status, worker_id, started_at, heartbeat_at, recovery_count, last_error,
    parent_chat_id, root_chat_id, mode, client_type, labels, pin_order, archived, last_model_config_id, last_read_message_id, mcp_server_ids,
    dynamic_tools, last_injected_context, system_prompt, created_at, updated_at, parent_tool_call_id, run_id, reserved_by, permission_mode, session_key
  FROM chats;
DROP TABLE chats;
ALTER TABLE chats_rebuilt RENAME TO chats;
CREATE INDEX idx_chats_list ON chats (archived, pin_sort, updated_at DESC, id DESC) WHERE parent_chat_id IS NULL;
CREATE INDEX idx_chats_list_workspace ON chats (workspace, archived, pin_sort, updated_at DESC, id DESC) WHERE parent_chat_id IS NULL;
CREATE INDEX idx_chats_acquire ON chats (status, updated_at) WHERE archived = 0;
CREATE INDEX idx_chats_parent ON chats (parent_chat_id, updated_at DESC) WHERE parent_chat_id IS NOT NULL;
CREATE INDEX idx_chats_root ON chats (root_chat_id) WHERE root_chat_id IS NOT NULL;
CREATE TRIGGER chat_labels_follow_chat AFTER UPDATE OF archived, pin_order, updated_at ON chats BEGIN
  UPDATE chat_labels SET archived = NEW.archived, pin_sort = NEW.pin_sort, updated_at = NEW.updated_at WHERE chat_id = NEW.id;
END;
CREATE TRIGGER chat_search_chat_insert AFTER INSERT ON chats BEGIN
  INSERT INTO chat_search (title, body, chat_id, message_id, kind)
    VALUES (new.title || ' ' || (SELECT COALESCE(group_concat(key || ' ' || value, ' '), '') FROM json_each(new.labels)), '', new.id, NULL, 'title');
END;
CREATE TRIGGER chat_search_chat_update AFTER UPDATE OF title, labels ON chats BEGIN
  DELETE FROM chat_search WHERE kind = 'title' AND chat_id = old.id;
  INSERT INTO chat_search (title, body, chat_id, message_id, kind)
    VALUES (new.title || ' ' || (SELECT COALESCE(group_concat(key || ' ' || value, ' '), '') FROM json_each(new.labels)), '', new.id, NULL, 'title');
END;

CREATE TABLE chat_queued_messages_rebuilt (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id         TEXT NOT NULL REFERENCES chats (id),
  content         TEXT NOT NULL,
  model_config_id TEXT,
  mode            TEXT NOT NULL DEFAULT 'default' CHECK (mode IN ('default', 'plan', 'explore', 'computer_use')),
  position        INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
);
INSERT INTO chat_queued_messages_rebuilt (id, chat_id, content, model_config_id, mode, position, created_at)
  SELECT id, chat_id, content, model_config_id, mode, position, created_at FROM chat_queued_messages;
DROP TABLE chat_queued_messages;
ALTER TABLE chat_queued_messages_rebuilt RENAME TO chat_queued_messages;
CREATE INDEX idx_chat_queued_messages_chat ON chat_queued_messages (chat_id, position, id);
PRAGMA legacy_alter_table = OFF;
