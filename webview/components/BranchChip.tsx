// The chat's branch, its changed files (+/− against the merge base) and its pull request in the header. The
// counts come with the chat; the file list is read when opened; the pull request opens in the browser.
import { useState } from 'preact/hooks';
import type { Chat, ChatDiffFile } from '../../server/protocol';
import { GetChatDiff } from '../../server/protocol/methods';
import { post, request } from '../rpc';

const PR_ICON = { open: 'git-pull-request', draft: 'git-pull-request-draft', merged: 'git-merge', closed: 'git-pull-request-closed' } as const;

export function BranchChip({ chat }: { chat: Chat }) {
  const [files, setFiles] = useState<ChatDiffFile[] | null>(null);
  const [open, setOpen] = useState(false);
  const d = chat.diff_status;
  if (!d) return null;
  const toggle = () => {
    if (!open) void request(GetChatDiff, { chat_id: chat.id }).then((r) => setFiles(r.files), () => setFiles([]));
    setOpen(!open);
  };
  const prState = d.pull_request_state === 'open' && d.pull_request_draft ? 'draft' : d.pull_request_state;
  return (
    <span class="branch-chip" data-testid="branch-chip">
      {d.git_branch && <span class="branch" data-testid="branch-name" title={`Branch ${d.git_branch}${d.base_branch ? ` → ${d.base_branch}` : ''}`}>
        <span class="codicon codicon-git-branch" /> {d.git_branch}
      </span>}
      {d.changed_files > 0 && (
        <button class="icon" data-testid="changed-files" title={`Changed against ${d.base_branch ?? 'HEAD'}: list the files`} onClick={toggle}>
          {d.changed_files} {d.changed_files === 1 ? 'file' : 'files'} <span class="added">+{d.additions}</span> <span class="deleted">−{d.deletions}</span>
        </button>
      )}
      {prState && d.url && (
        <a class={`pr pr-${prState}`} data-testid="pr-link" href={d.url} title={`${d.pull_request_title ?? ''} (${prState}) — open on GitHub`}
          onClick={(e) => { e.preventDefault(); post({ type: 'runCommand', command: 'localAgents.openPullRequest' }); }}>
          <span class={`codicon codicon-${PR_ICON[prState]}`} /> #{d.pr_number}
        </a>
      )}
      {!d.url && d.pr_error && <span class="codicon codicon-warning muted" data-testid="pr-error" title={d.pr_error} />}
      {open && (
        <ul class="files-list" data-testid="changed-files-list">
          {(files ?? []).map((f) => (
            <li key={f.path} title={f.status}>
              <span class={`codicon codicon-diff-${f.status === 'deleted' ? 'removed' : f.status === 'modified' ? 'modified' : 'added'}`} /> {f.path}{' '}
              {f.additions === null ? <span class="muted">binary</span> : <><span class="added">+{f.additions}</span> <span class="deleted">−{f.deletions}</span></>}
            </li>
          ))}
          {files && d.changed_files > files.length && <li class="muted">and {d.changed_files - files.length} more</li>}
        </ul>
      )}
    </span>
  );
}
