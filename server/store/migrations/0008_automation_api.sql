-- The automation API. (Client-executed tools live in chats.dynamic_tools since 0001; their calls wait in
-- chat_pending_actions, kind 'dynamic', until a client posts the results.)
-- Uploaded files (POST /chats/files) keep their bytes here; attachments of workspace files keep only the
-- path. `workspace` scopes an upload to the workspace it was made in, like chats.
ALTER TABLE chat_files ADD COLUMN data BLOB;
ALTER TABLE chat_files ADD COLUMN workspace TEXT;
CREATE INDEX idx_chat_files_path ON chat_files (path) WHERE path IS NOT NULL;
