-- A label filter lists chats in list order straight from the label's index: each label row carries its
-- chat's sort keys (kept in step by triggers), so "the newest 50 chats labelled env:prod" reads 50 index
-- entries instead of checking every chat or sorting every chat with that label.
ALTER TABLE chat_labels ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chat_labels ADD COLUMN pin_sort INTEGER NOT NULL DEFAULT 2147483647;
ALTER TABLE chat_labels ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE chat_labels SET (archived, pin_sort, updated_at) =
  (SELECT c.archived, c.pin_sort, c.updated_at FROM chats c WHERE c.id = chat_labels.chat_id);
CREATE INDEX idx_chat_labels_list ON chat_labels (key, value, archived, pin_sort, updated_at DESC, chat_id DESC);
-- Its (key, value) prefix serves what the older index did (counting a label's chats); one index less to write.
DROP INDEX idx_chat_labels_key_value;

CREATE TRIGGER chat_labels_sort_keys_on_insert AFTER INSERT ON chat_labels BEGIN
  UPDATE chat_labels SET (archived, pin_sort, updated_at) =
    (SELECT c.archived, c.pin_sort, c.updated_at FROM chats c WHERE c.id = NEW.chat_id)
  WHERE chat_id = NEW.chat_id AND key = NEW.key;
END;
CREATE TRIGGER chat_labels_follow_chat AFTER UPDATE OF archived, pin_order, updated_at ON chats BEGIN
  UPDATE chat_labels SET archived = NEW.archived, pin_sort = NEW.pin_sort, updated_at = NEW.updated_at WHERE chat_id = NEW.id;
END;
