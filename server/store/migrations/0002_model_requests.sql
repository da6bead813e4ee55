-- Every request sent to a model provider ("interceptions"): who was asked, with which credential kind, at what usage.
CREATE TABLE model_requests (
  id                       INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id                  TEXT REFERENCES chats (id),
  message_id               INTEGER REFERENCES chat_messages (id),
  session_key              TEXT NOT NULL,
  provider                 TEXT NOT NULL,
  provider_name            TEXT NOT NULL,
  model                    TEXT NOT NULL,
  api                      TEXT NOT NULL,
  credential_kind          TEXT NOT NULL,
  credential_hint          TEXT,
  input_tokens             INTEGER,
  output_tokens            INTEGER,
  reasoning_tokens         INTEGER,
  cache_read_input_tokens  INTEGER,
  cache_write_input_tokens INTEGER,
  status_code              INTEGER,
  error                    TEXT,
  started_at               INTEGER NOT NULL,
  duration_ms              INTEGER
);
CREATE INDEX idx_model_requests_chat ON model_requests (chat_id, id);
CREATE INDEX idx_model_requests_session ON model_requests (session_key, id);
