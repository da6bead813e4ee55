-- foreign_keys: off
-- Named provider instances (provider_name), Azure OpenAI, a key read from an environment variable (key_env) and
-- provider options; two instances may share a base URL. SQLite cannot change a CHECK in place, so the table is
-- rebuilt (with foreign keys off for this migration; the runner checks them before it commits).
CREATE TABLE chat_providers_rebuilt (
  id            TEXT PRIMARY KEY,
  provider      TEXT NOT NULL CHECK (provider IN ('openai', 'openai-compat', 'azure')),
  provider_name TEXT NOT NULL,
  display_name  TEXT NOT NULL,
  base_url      TEXT NOT NULL,
  -- The CLI's `--key-env VAR`: the name of the variable holding the key, never the key.
  key_env       TEXT,
  options       TEXT NOT NULL DEFAULT '{}',
  enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  source        TEXT NOT NULL DEFAULT 'database' CHECK (source IN ('database', 'env_preset')),
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
INSERT INTO chat_providers_rebuilt (id, provider, provider_name, display_name, base_url, enabled, source, deleted, created_at, updated_at)
  SELECT id, provider,
    display_name || CASE WHEN n > 1 THEN ' ' || n ELSE '' END,
    display_name, base_url, enabled, source, deleted, created_at, updated_at
  FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY deleted, display_name ORDER BY created_at, id) AS n FROM chat_providers);
-- A numbered name may be another live provider's own display name ("OpenAI Compatible 2"): the numbered one
-- takes its id instead, so the unique index holds.
UPDATE chat_providers_rebuilt SET provider_name = display_name || ' (' || id || ')'
  WHERE deleted = 0 AND provider_name <> display_name
    AND EXISTS (SELECT 1 FROM chat_providers_rebuilt o WHERE o.deleted = 0 AND o.id <> chat_providers_rebuilt.id AND o.provider_name = chat_providers_rebuilt.provider_name);
-- Deleted rows may repeat a live name: they keep theirs with their id, so the unique index holds for live rows.
UPDATE chat_providers_rebuilt SET provider_name = provider_name || ' (' || id || ')' WHERE deleted = 1;
DROP TABLE chat_providers;
ALTER TABLE chat_providers_rebuilt RENAME TO chat_providers;
CREATE UNIQUE INDEX idx_chat_providers_name ON chat_providers (provider_name) WHERE deleted = 0;

-- The request log: what kind of request, its cost, time to first token, outcome and attempt.
ALTER TABLE model_requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'chat';
ALTER TABLE model_requests ADD COLUMN provider_id TEXT;
ALTER TABLE model_requests ADD COLUMN model_config_id TEXT;
ALTER TABLE model_requests ADD COLUMN cost_micros INTEGER;
ALTER TABLE model_requests ADD COLUMN ttft_ms INTEGER;
ALTER TABLE model_requests ADD COLUMN outcome TEXT NOT NULL DEFAULT 'ok';
ALTER TABLE model_requests ADD COLUMN error_kind TEXT;
ALTER TABLE model_requests ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
UPDATE model_requests SET outcome = 'error' WHERE error IS NOT NULL;
CREATE INDEX idx_model_requests_started ON model_requests (started_at);

-- Usage per 15-minute slot (UTC), provider instance and model, kept by a trigger on every request: a day or a
-- month is a handful of slots whatever the size of the log, and 15 minutes divides every time zone's offset,
-- so the slots add up to the user's local days.
CREATE TABLE usage_slots (
  slot              INTEGER NOT NULL,
  provider_name     TEXT NOT NULL,
  model             TEXT NOT NULL,
  requests          INTEGER NOT NULL DEFAULT 0,
  priced_requests   INTEGER NOT NULL DEFAULT 0,
  cost_micros       INTEGER NOT NULL DEFAULT 0,
  input_tokens      INTEGER NOT NULL DEFAULT 0,
  output_tokens     INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens  INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (slot, provider_name, model)
) WITHOUT ROWID;
CREATE TRIGGER model_requests_usage_slot AFTER INSERT ON model_requests BEGIN
  INSERT INTO usage_slots (slot, provider_name, model, requests, priced_requests, cost_micros, input_tokens, output_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens)
  VALUES (NEW.started_at - NEW.started_at % 900000, NEW.provider_name, NEW.model, 1, NEW.cost_micros IS NOT NULL, COALESCE(NEW.cost_micros, 0),
    COALESCE(NEW.input_tokens, 0), COALESCE(NEW.output_tokens, 0), COALESCE(NEW.reasoning_tokens, 0),
    COALESCE(NEW.cache_read_input_tokens, 0), COALESCE(NEW.cache_write_input_tokens, 0))
  ON CONFLICT (slot, provider_name, model) DO UPDATE SET
    requests = requests + 1, priced_requests = priced_requests + excluded.priced_requests, cost_micros = cost_micros + excluded.cost_micros,
    input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
    reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
    cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens;
END;
INSERT INTO usage_slots (slot, provider_name, model, requests, priced_requests, cost_micros, input_tokens, output_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens)
  SELECT started_at - started_at % 900000, provider_name, model, COUNT(*), 0, 0, COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0),
    COALESCE(SUM(reasoning_tokens), 0), COALESCE(SUM(cache_read_input_tokens), 0), COALESCE(SUM(cache_write_input_tokens), 0)
  FROM model_requests GROUP BY 1, 2, 3;

-- The same per root chat (a subagent's requests count for the chat that started it): the summary per chat reads
-- a row per chat and slot instead of every request, and sorting a month of the log by chat is what it saves.
-- A chat's root never changes, so the trigger resolves it once; '' holds requests outside any chat.
CREATE TABLE usage_chat_slots (
  slot              INTEGER NOT NULL,
  root_chat_id      TEXT NOT NULL,
  requests          INTEGER NOT NULL DEFAULT 0,
  priced_requests   INTEGER NOT NULL DEFAULT 0,
  cost_micros       INTEGER NOT NULL DEFAULT 0,
  input_tokens      INTEGER NOT NULL DEFAULT 0,
  output_tokens     INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens  INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (slot, root_chat_id)
) WITHOUT ROWID;
CREATE TRIGGER model_requests_usage_chat_slot AFTER INSERT ON model_requests BEGIN
  INSERT INTO usage_chat_slots (slot, root_chat_id, requests, priced_requests, cost_micros, input_tokens, output_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens)
  VALUES (NEW.started_at - NEW.started_at % 900000, COALESCE((SELECT root_chat_id FROM chats WHERE id = NEW.chat_id), NEW.chat_id, ''),
    1, NEW.cost_micros IS NOT NULL, COALESCE(NEW.cost_micros, 0),
    COALESCE(NEW.input_tokens, 0), COALESCE(NEW.output_tokens, 0), COALESCE(NEW.reasoning_tokens, 0),
    COALESCE(NEW.cache_read_input_tokens, 0), COALESCE(NEW.cache_write_input_tokens, 0))
  ON CONFLICT (slot, root_chat_id) DO UPDATE SET
    requests = requests + 1, priced_requests = priced_requests + excluded.priced_requests, cost_micros = cost_micros + excluded.cost_micros,
    input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
    reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
    cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens;
END;
INSERT INTO usage_chat_slots (slot, root_chat_id, requests, priced_requests, cost_micros, input_tokens, output_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens)
  SELECT r.started_at - r.started_at % 900000, COALESCE(c.root_chat_id, r.chat_id, ''), COUNT(*), 0, 0, COALESCE(SUM(r.input_tokens), 0), COALESCE(SUM(r.output_tokens), 0),
    COALESCE(SUM(r.reasoning_tokens), 0), COALESCE(SUM(r.cache_read_input_tokens), 0), COALESCE(SUM(r.cache_write_input_tokens), 0)
  FROM model_requests r LEFT JOIN chats c ON c.id = r.chat_id GROUP BY 1, 2;

-- Secrets the agent's commands may use. The value is in VS Code's SecretStorage only; this is what it is called,
-- how a command gets it, and where it is enabled (workspaces here, chats in chat_user_secrets).
CREATE TABLE user_secrets (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  env_var     TEXT,
  file_path   TEXT,
  workspaces  TEXT NOT NULL DEFAULT '[]',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX idx_user_secrets_name ON user_secrets (name);
CREATE TABLE chat_user_secrets (
  chat_id   TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  secret_id TEXT NOT NULL REFERENCES user_secrets (id) ON DELETE CASCADE,
  PRIMARY KEY (chat_id, secret_id)
) WITHOUT ROWID;
-- Every create, update and delete of a secret: who, when, which fields. A value is recorded as changed, never kept.
CREATE TABLE secret_audit (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  secret_id      TEXT NOT NULL,
  secret_name    TEXT NOT NULL,
  action         TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  actor          TEXT NOT NULL,
  changed_fields TEXT NOT NULL,
  at             INTEGER NOT NULL
);
