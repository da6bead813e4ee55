// A chat on a branch whose pull request is open on (a fake) GitHub: when its turn ends, the panel header shows
// the branch, the changed files with +/- and a link to the pull request, and the Chats tree shows the chat with
// the open-pull-request icon. A merge on GitHub turns the icon purple without a new turn (Refresh).
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function git(cwd, ...args) {
  return execFileSync('git', ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', ...args], { cwd, encoding: 'utf8' });
}

module.exports = async function pullRequest(h) {
  const { fake, github, workspaceDir: ws } = h;
  const host = new URL(github.url).host;
  git(ws, 'init', '-q', '-b', 'main');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'initial');
  git(ws, 'remote', 'add', 'origin', `${github.url}/octo/demo.git`);
  git(ws, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  git(ws, 'checkout', '-q', '-b', 'feature/greeting');
  fs.appendFileSync(path.join(ws, 'src/greet.js'), "module.exports.shout = (n) => greet(n).toUpperCase();\n");
  git(ws, 'commit', '-q', '-am', 'shout');
  fs.writeFileSync(path.join(ws, 'src/notes.md'), 'one\ntwo\n');
  github.setPulls('octo', 'demo', 'octo:feature/greeting', [{ number: 42, title: 'Add a shouting greeting', state: 'open', head: 'feature/greeting', base: 'main' }]);

  await h.openContainer('Local Agents');
  await h.unfoldViews(['Chats']);
  fake.enqueue({ kind: 'text', text: 'Done.' }, { kind: 'title', title: 'Greeting branch' });
  await h.runCommand('Local Agents: New Chat');
  const chat = await h.webview('[data-testid="composer-input"]', { timeout: 60000 });
  const input = chat.locator('[data-testid="composer-input"]');
  await input.fill('what changed on this branch?');
  await input.press('Enter');
  await chat.locator('[data-testid="chat-status"]', { hasText: 'waiting' }).waitFor({ timeout: 30000 });

  // The header: branch, 2 files (+1 from the commit, +2 untracked), the pull request's link.
  const link = chat.locator('[data-testid="pr-link"]');
  await link.waitFor({ timeout: 30000 });
  assert.equal(await link.getAttribute('href'), `${github.url}/octo/demo/pull/42`);
  assert.match(await link.innerText(), /#42/);
  assert.match(await link.getAttribute('class'), /pr-open/);
  assert.equal((await chat.locator('[data-testid="branch-name"]').innerText()).trim(), 'feature/greeting');
  assert.match(await chat.locator('[data-testid="changed-files"]').innerText(), /2 files\s*\+3\s*−0/);
  await chat.locator('[data-testid="changed-files"]').click();
  const list = chat.locator('[data-testid="changed-files-list"] li');
  await list.first().waitFor({ timeout: 15000 });
  assert.deepEqual((await list.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()), ['src/greet.js +1 −0', 'src/notes.md +2 −0']);

  // GitHub was asked as the issue says: head=owner:branch in the origin repository, nothing else on the network.
  const asked = github.pullRequests('octo', 'demo');
  assert.ok(asked.length >= 1, 'the pull request was looked up');
  assert.equal(asked[0].query.head, 'octo:feature/greeting');
  assert.ok(github.requests.every((r) => r.path.startsWith('/api/v3/')), `only the fake's API was asked (host ${host})`);

  // The tree: the chat at rest shows the open pull request's icon.
  const row = h.treeItem('Chats', 'Greeting branch');
  await row.locator('.codicon-git-pull-request').waitFor({ timeout: 30000 });
  await h.screenshot('open');

  // Merged on GitHub: Refresh (the command) shows it without a turn.
  github.updatePull('octo', 'demo', 42, { state: 'closed', merged_at: new Date().toISOString() });
  await h.runCommand('Local Agents: Refresh Branch and Pull Request');
  await chat.locator('[data-testid="pr-link"].pr-merged').waitFor({ timeout: 30000 });
  await row.locator('.codicon-git-merge').waitFor({ timeout: 30000 });
  await h.screenshot('merged');
};
module.exports.userSettings = ({ githubUrl }) => ({ 'localAgents.github.enterpriseUrl': githubUrl });
module.exports.timeout = 180000;
