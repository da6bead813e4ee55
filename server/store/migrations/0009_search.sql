-- Full-text search over chats: titles, labels, message text, tool-call arguments and tool output. One FTS5
-- row per chat title (kind 'title', with the labels as words), and one per visible message (kind
-- 'message'); triggers keep them current, soft-deleted messages leave the index, and the statements at
-- the end fill it for databases made before this migration.
CREATE VIRTUAL TABLE chat_search USING fts5(
  title,
  body,
  chat_id UNINDEXED,
  message_id UNINDEXED,
  kind UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
-- A word in a title (or label) weighs twice one in a message; `ORDER BY rank` uses this.
INSERT INTO chat_search (chat_search, rank) VALUES ('rank', 'bm25(2.0, 1.0)');

-- The searchable text of a message: text and reasoning, tool-call arguments, tool results (strings as they
-- are, other values as JSON), file and context contents; at most 20,000 characters of it.
CREATE VIEW chat_message_search_text AS
  SELECT m.id AS message_id, m.chat_id AS chat_id, substr((
    SELECT group_concat(t, ' ') FROM (
      SELECT COALESCE(
        json_extract(p.value, '$.text'),
        json_extract(p.value, '$.args'),
        json_extract(p.value, '$.result'),
        json_extract(p.value, '$.content'),
        json_extract(p.value, '$.name')
      ) AS t FROM json_each(m.content) p
    )
  ), 1, 20000) AS body
  FROM chat_messages m;

CREATE TRIGGER chat_search_message_insert AFTER INSERT ON chat_messages WHEN new.deleted = 0 BEGIN
  INSERT INTO chat_search (title, body, chat_id, message_id, kind)
    SELECT '', body, chat_id, message_id, 'message' FROM chat_message_search_text WHERE message_id = new.id AND body IS NOT NULL AND body <> '';
END;
CREATE TRIGGER chat_search_message_delete AFTER UPDATE OF deleted ON chat_messages WHEN new.deleted = 1 AND old.deleted = 0 BEGIN
  DELETE FROM chat_search WHERE kind = 'message' AND message_id = old.id;
END;
CREATE TRIGGER chat_search_message_gone AFTER DELETE ON chat_messages BEGIN
  DELETE FROM chat_search WHERE kind = 'message' AND message_id = old.id;
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

INSERT INTO chat_search (title, body, chat_id, message_id, kind)
  SELECT c.title || ' ' || (SELECT COALESCE(group_concat(key || ' ' || value, ' '), '') FROM json_each(c.labels)), '', c.id, NULL, 'title' FROM chats c;
INSERT INTO chat_search (title, body, chat_id, message_id, kind)
  SELECT '', s.body, s.chat_id, s.message_id, 'message' FROM chat_message_search_text s JOIN chat_messages m ON m.id = s.message_id
  WHERE m.deleted = 0 AND s.body IS NOT NULL AND s.body <> '';
