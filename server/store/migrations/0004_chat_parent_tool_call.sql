-- The tool call (spawn_agent / spawn_explore_agent) of the parent chat that started a subagent chat, so a
-- client can show the child's transcript inside that call while it runs.
ALTER TABLE chats ADD COLUMN parent_tool_call_id TEXT;
