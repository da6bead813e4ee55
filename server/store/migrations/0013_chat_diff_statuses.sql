-- Each root chat's diff status (the seed's chat_diff_statuses): the branch the chat worked on, recorded at the
-- end of each turn since every chat of a folder shares one checkout; the changed files against the merge base
-- with the base branch; and the pull request of that branch on GitHub, when there is one.
CREATE TABLE chat_diff_statuses (
  chat_id TEXT PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
  -- The folder whose checkout was read (the chat's workspace folder at the end of the turn).
  git_folder TEXT NOT NULL,
  git_branch TEXT,
  -- Without credentials: a remote URL with a user or token in it is stored as host and path only.
  git_remote_origin TEXT,
  -- A fork's `upstream` remote, where its pull requests live.
  git_remote_upstream TEXT,
  base_branch TEXT,
  head_branch TEXT,
  additions INTEGER NOT NULL DEFAULT 0,
  deletions INTEGER NOT NULL DEFAULT 0,
  changed_files INTEGER NOT NULL DEFAULT 0,
  -- JSON array of {path, status, additions, deletions} (additions/deletions null for binary files), capped.
  files TEXT NOT NULL DEFAULT '[]',
  url TEXT,
  pr_number INTEGER,
  pull_request_state TEXT CHECK (pull_request_state IN ('open', 'closed', 'merged')),
  pull_request_title TEXT,
  pull_request_draft INTEGER,
  author_login TEXT,
  -- Why the pull request could not be looked up last time (rate limit, no access), for the tooltip and the CLI.
  pr_error TEXT,
  -- The GitHub query the ETag belongs to (API base, repository, head): a new branch starts without one.
  pr_query TEXT,
  pr_etag TEXT,
  -- Consecutive failed lookups: the next one waits twice as long each time.
  pr_failures INTEGER NOT NULL DEFAULT 0,
  refreshed_at INTEGER NOT NULL,
  pr_refreshed_at INTEGER,
  -- When the pull request is looked up again (a claim: a second server on the same file skips it until then).
  stale_at INTEGER
);
CREATE INDEX idx_chat_diff_statuses_stale ON chat_diff_statuses (stale_at) WHERE git_branch IS NOT NULL;
