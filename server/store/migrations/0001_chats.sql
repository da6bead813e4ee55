-- Providers, model configs, chats, messages, the send queue and file links.
-- Timestamps are Unix epoch milliseconds. JSON columns hold text validated by the server.

CREATE TABLE chat_providers (
  id           TEXT PRIMARY KEY,
  provider     TEXT NOT NULL CHECK (provider IN ('openai', 'openai-compat')),
  display_name TEXT NOT NULL,
  base_url     TEXT NOT NULL,
  enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  source       TEXT NOT NULL DEFAULT 'database' CHECK (source IN ('database', 'env_preset')),
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX idx_chat_providers_unique ON chat_providers (provider, base_url) WHERE deleted = 0;

CREATE TABLE chat_model_configs (
  id                    TEXT PRIMARY KEY,
  provider_id           TEXT NOT NULL REFERENCES chat_providers (id),
  model                 TEXT NOT NULL,
  display_name          TEXT NOT NULL,
  enabled               INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  is_default            INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  context_limit         INTEGER NOT NULL CHECK (context_limit > 0),
  compression_threshold INTEGER NOT NULL DEFAULT 70 CHECK (compression_threshold BETWEEN 0 AND 100),
  options               TEXT NOT NULL DEFAULT '{}',
  deleted               INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE UNIQUE INDEX idx_chat_model_configs_unique ON chat_model_configs (provider_id, model) WHERE deleted = 0;

CREATE TABLE chats (
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
  mode                  TEXT NOT NULL DEFAULT 'default' CHECK (mode IN ('default', 'plan', 'explore')),
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
  updated_at            INTEGER NOT NULL
);
CREATE INDEX idx_chats_list ON chats (archived, pin_sort, updated_at DESC, id DESC) WHERE parent_chat_id IS NULL;
CREATE INDEX idx_chats_list_workspace ON chats (workspace, archived, pin_sort, updated_at DESC, id DESC) WHERE parent_chat_id IS NULL;
CREATE INDEX idx_chats_acquire ON chats (status, updated_at) WHERE archived = 0;
CREATE INDEX idx_chats_parent ON chats (parent_chat_id, updated_at DESC) WHERE parent_chat_id IS NOT NULL;
CREATE INDEX idx_chats_root ON chats (root_chat_id) WHERE root_chat_id IS NOT NULL;

-- One row per label, so that `label=key:value` filters are index lookups.
CREATE TABLE chat_labels (
  chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (chat_id, key)
) WITHOUT ROWID;
CREATE INDEX idx_chat_labels_key_value ON chat_labels (key, value, chat_id);

CREATE TABLE chat_messages (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id               TEXT NOT NULL REFERENCES chats (id),
  role                  TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  content_version       INTEGER NOT NULL DEFAULT 1,
  content               TEXT NOT NULL,
  model_config_id       TEXT REFERENCES chat_model_configs (id),
  created_at            INTEGER NOT NULL,
  input_tokens          INTEGER,
  output_tokens         INTEGER,
  total_tokens          INTEGER,
  reasoning_tokens      INTEGER,
  cache_read_tokens     INTEGER,
  cache_creation_tokens INTEGER,
  context_limit         INTEGER,
  total_cost_micros     INTEGER,
  runtime_ms            INTEGER,
  provider_response_id  TEXT,
  deleted               INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX idx_chat_messages_chat ON chat_messages (chat_id, id) WHERE deleted = 0;
CREATE INDEX idx_chat_messages_unread ON chat_messages (chat_id, id) WHERE role = 'assistant' AND deleted = 0;

CREATE TABLE chat_queued_messages (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id         TEXT NOT NULL REFERENCES chats (id),
  content         TEXT NOT NULL,
  model_config_id TEXT,
  mode            TEXT NOT NULL DEFAULT 'default' CHECK (mode IN ('default', 'plan', 'explore')),
  position        INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX idx_chat_queued_messages_chat ON chat_queued_messages (chat_id, position, id);

CREATE TABLE chat_files (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  media_type TEXT NOT NULL,
  path       TEXT,
  size       INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE chat_file_links (
  chat_id    TEXT NOT NULL REFERENCES chats (id),
  file_id    TEXT NOT NULL REFERENCES chat_files (id),
  kind       TEXT NOT NULL DEFAULT 'attachment',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (chat_id, file_id)
) WITHOUT ROWID;
