-- The client's session key of a chat (CreateChat `session_key`): the request log groups the chat's requests, and
-- its subagents', under it instead of the chat tree's root.
ALTER TABLE chats ADD COLUMN session_key TEXT;
