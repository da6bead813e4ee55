-- MCP server configs. Secret values (API key, custom header values, OAuth client secret and tokens) are
-- never stored here: the extension keeps them in SecretStorage and hands them to the server's memory.
CREATE TABLE mcp_server_configs (
  id                  TEXT PRIMARY KEY,
  slug                TEXT NOT NULL,
  display_name        TEXT NOT NULL,
  description         TEXT NOT NULL DEFAULT '',
  icon_url            TEXT NOT NULL DEFAULT '',
  transport           TEXT NOT NULL,
  url                 TEXT,
  command             TEXT,
  args                TEXT NOT NULL DEFAULT '[]',
  env                 TEXT NOT NULL DEFAULT '{}',
  cwd                 TEXT,
  auth_type           TEXT NOT NULL DEFAULT 'none',
  oauth2_client_id    TEXT,
  oauth2_auth_url     TEXT,
  oauth2_token_url    TEXT,
  oauth2_scopes       TEXT NOT NULL DEFAULT '',
  api_key_header      TEXT,
  custom_header_names TEXT NOT NULL DEFAULT '[]',
  oidc_provider_id    TEXT,
  oidc_scopes         TEXT NOT NULL DEFAULT '[]',
  tool_allow_list     TEXT NOT NULL DEFAULT '[]',
  tool_deny_list      TEXT NOT NULL DEFAULT '[]',
  availability        TEXT NOT NULL DEFAULT 'default_off',
  enabled             INTEGER NOT NULL DEFAULT 0,
  model_intent        INTEGER NOT NULL DEFAULT 0,
  allow_in_plan_mode  INTEGER NOT NULL DEFAULT 0,
  sampling_enabled    INTEGER NOT NULL DEFAULT 0,
  tool_timeout_ms     INTEGER NOT NULL,
  tool_timeouts       TEXT NOT NULL DEFAULT '{}',
  workspace_local     INTEGER NOT NULL DEFAULT 0,
  workspace_source    TEXT,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE UNIQUE INDEX idx_mcp_server_configs_slug ON mcp_server_configs (lower(slug));

-- Non-secret OAuth state per config: discovered endpoints and why the last refresh failed.
CREATE TABLE mcp_oauth_state (
  config_id              TEXT PRIMARY KEY REFERENCES mcp_server_configs (id) ON DELETE CASCADE,
  discovery_state        TEXT,
  refresh_failure_reason TEXT,
  updated_at             INTEGER NOT NULL
);
