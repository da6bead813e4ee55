-- Approvals and run ownership. Each run of a chat's turn gets its own id: heartbeat, finish and recovery
-- compare it, so a superseded run can never write over the run that replaced it. A chat may be reserved for
-- the worker that created it (the CLI runs its own chat, and no other process takes it).
ALTER TABLE chats ADD COLUMN run_id TEXT;
ALTER TABLE chats ADD COLUMN reserved_by TEXT;
ALTER TABLE chats ADD COLUMN permission_mode TEXT CHECK (permission_mode IN ('default', 'acceptEdits', 'bypass'));

-- Calls a chat in `requires_action` waits on: approvals, and client-executed (dynamic) tools whose result a
-- client posts. They survive restarts; the first decision (or result) wins.
CREATE TABLE chat_pending_actions (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id              TEXT NOT NULL REFERENCES chats (id),
  tool_call_id         TEXT NOT NULL,
  kind                 TEXT NOT NULL CHECK (kind IN ('approval', 'dynamic')),
  tool_name            TEXT NOT NULL,
  args                 TEXT NOT NULL,
  mcp_server_config_id TEXT,
  reason               TEXT NOT NULL,
  needs                TEXT NOT NULL DEFAULT '[]',
  state                TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'allowed', 'denied', 'cancelled', 'answered', 'timed_out')),
  -- The person's answer: {scope: once|chat|always, rules, reason}.
  decision             TEXT,
  created_at           INTEGER NOT NULL,
  decided_at           INTEGER,
  -- Dynamic tools: past this the call is answered "Tool execution timed out".
  deadline_at          INTEGER,
  UNIQUE (chat_id, tool_call_id)
);
CREATE INDEX idx_chat_pending_actions_open ON chat_pending_actions (chat_id) WHERE state = 'pending';

-- The audit of every gate decision and every command that ran, with the rule that matched.
CREATE TABLE tool_decisions (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id      TEXT NOT NULL,
  tool_call_id TEXT NOT NULL,
  tool_name    TEXT NOT NULL,
  -- The command, the paths or the tool the decision was about.
  subject      TEXT NOT NULL,
  decision     TEXT NOT NULL CHECK (decision IN ('allow', 'ask', 'deny')),
  decided_by   TEXT NOT NULL CHECK (decided_by IN ('availability', 'trust', 'rule', 'mode', 'user')),
  rule         TEXT,
  source       TEXT,
  reason       TEXT,
  -- Set once the call ran: 1 ok, 2 failed.
  outcome      INTEGER,
  created_at   INTEGER NOT NULL
);
CREATE INDEX idx_tool_decisions_chat ON tool_decisions (chat_id, id);

-- "Allow for this chat": rules of a chat tree, kept on its root chat.
CREATE TABLE chat_permission_rules (
  chat_id    TEXT NOT NULL REFERENCES chats (id),
  rule       TEXT NOT NULL,
  source     TEXT NOT NULL DEFAULT 'chat' CHECK (source IN ('chat', 'cli')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (chat_id, rule)
) WITHOUT ROWID;

-- MCP stdio env values are secrets: SecretStorage keeps them, SQLite only their names. `env` keeps values
-- written before this migration until the extension has moved them to SecretStorage (then it is '{}').
ALTER TABLE mcp_server_configs ADD COLUMN env_names TEXT NOT NULL DEFAULT '[]';
UPDATE mcp_server_configs SET env_names = (SELECT COALESCE(json_group_array(key), '[]') FROM (SELECT key FROM json_each(mcp_server_configs.env) ORDER BY key));
