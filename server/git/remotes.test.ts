import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gitHubHosts } from './github';
import { parseGitHubRemote, sanitizeRemoteUrl } from './remotes';

test('sanitizeRemoteUrl: user names and tokens are dropped, ssh\'s git@ and scp addresses are kept', () => {
  assert.equal(sanitizeRemoteUrl('https://user:token@github.com/o/r.git'), 'https://github.com/o/r.git');
  assert.equal(sanitizeRemoteUrl('https://x-access-token:ghp_abc123@github.com/o/r.git'), 'https://github.com/o/r.git');
  assert.equal(sanitizeRemoteUrl('https://ghp_abc123@github.com/o/r'), 'https://github.com/o/r', 'a token as the user name');
  assert.equal(sanitizeRemoteUrl('https://:ghp_abc123@github.com/o/r'), 'https://github.com/o/r', 'a password without a user');
  assert.equal(sanitizeRemoteUrl('http://user:secret@127.0.0.1:8123/octo/demo.git'), 'http://127.0.0.1:8123/octo/demo.git');
  assert.equal(sanitizeRemoteUrl('ssh://git@host:2222/o/r'), 'ssh://git@host:2222/o/r');
  assert.equal(sanitizeRemoteUrl('ssh://git:pw@host/o/r'), 'ssh://host/o/r', 'git@ with a password is a secret');
  assert.equal(sanitizeRemoteUrl('ssh://deploy@host/o/r'), 'ssh://host/o/r');
  assert.equal(sanitizeRemoteUrl('git@github.com:o/r.git'), 'git@github.com:o/r.git');
  assert.equal(sanitizeRemoteUrl('  https://github.com/o/r.git\n'), 'https://github.com/o/r.git');
  assert.equal(sanitizeRemoteUrl('/srv/repos/r.git'), '/srv/repos/r.git');
  assert.equal(sanitizeRemoteUrl(''), null);
  assert.equal(sanitizeRemoteUrl(null), null);
  assert.equal(sanitizeRemoteUrl(undefined), null);
  for (const url of ['https://user:token@github.com/o/r.git', 'http://a:b@h:1/x', 'https://t0k3n@ghe.example:8443/o/r']) {
    const clean = sanitizeRemoteUrl(url)!;
    assert.ok(!/token|t0k3n|:b@|a:/.test(clean.replace(/^https?:/, '')), clean);
  }
});

test('parseGitHubRemote: https, ssh on its own port and scp form on github.com; the owner and repository without .git', () => {
  const hosts = gitHubHosts(null).hosts;
  assert.deepEqual(hosts, ['github.com']);
  const want = { host: 'github.com', owner: 'octo', repo: 'demo' };
  assert.deepEqual(parseGitHubRemote('https://github.com/octo/demo.git', hosts), want);
  assert.deepEqual(parseGitHubRemote('https://github.com/octo/demo', hosts), want);
  assert.deepEqual(parseGitHubRemote('https://GitHub.com/octo/demo/', hosts), want);
  assert.deepEqual(parseGitHubRemote('https://user:tok@github.com/octo/demo.git', hosts), want);
  assert.deepEqual(parseGitHubRemote('ssh://git@github.com/octo/demo.git', hosts), want);
  assert.deepEqual(parseGitHubRemote('ssh://git@github.com:2222/octo/demo.git', hosts), want);
  assert.deepEqual(parseGitHubRemote('git@github.com:octo/demo.git', hosts), want);
  assert.deepEqual(parseGitHubRemote('github.com:octo/demo', hosts), want);
});

test('parseGitHubRemote: another host, a path that is not owner/repo, or nothing is not a GitHub repository', () => {
  const hosts = gitHubHosts(null).hosts;
  assert.equal(parseGitHubRemote('https://gitlab.com/octo/demo.git', hosts), undefined);
  assert.equal(parseGitHubRemote('git@gitlab.com:octo/demo.git', hosts), undefined);
  assert.equal(parseGitHubRemote('https://github.com.evil.example/octo/demo.git', hosts), undefined);
  assert.equal(parseGitHubRemote('https://github.com/octo/demo/tree/main', hosts), undefined);
  assert.equal(parseGitHubRemote('https://github.com/octo', hosts), undefined);
  assert.equal(parseGitHubRemote('/srv/repos/demo.git', hosts), undefined);
  assert.equal(parseGitHubRemote('file:///srv/octo/demo.git', hosts), undefined);
  assert.equal(parseGitHubRemote(null, hosts), undefined);
  assert.equal(parseGitHubRemote('', hosts), undefined);
});

test('an Enterprise server with a port: its https, ssh and scp remotes are its repositories, with its API under /api/v3', () => {
  const gh = gitHubHosts('https://ghe.example:8443/');
  assert.deepEqual(gh.hosts, ['github.com', 'ghe.example:8443']);
  const want = { host: 'ghe.example:8443', owner: 'team', repo: 'app' };
  assert.deepEqual(parseGitHubRemote('https://ghe.example:8443/team/app.git', gh.hosts), want);
  assert.deepEqual(parseGitHubRemote('https://bot:secret@GHE.example:8443/team/app', gh.hosts), want);
  assert.deepEqual(parseGitHubRemote('ssh://git@ghe.example:2222/team/app.git', gh.hosts), want);
  assert.deepEqual(parseGitHubRemote('git@ghe.example:team/app.git', gh.hosts), want);
  assert.equal(parseGitHubRemote('https://other.example:8443/team/app.git', gh.hosts), undefined);
  assert.equal(gh.apiBaseFor(want.host), 'https://ghe.example:8443/api/v3');
  assert.equal(gh.apiBaseFor('github.com'), 'https://api.github.com');
  assert.equal(gh.apiBaseFor('other.example'), undefined);

  // Without a port in its address the server's remotes on any port are its own.
  const plain = gitHubHosts('http://ghe.local');
  assert.deepEqual(parseGitHubRemote('ssh://git@ghe.local:2222/team/app', plain.hosts), { host: 'ghe.local', owner: 'team', repo: 'app' });
  assert.equal(plain.apiBaseFor('ghe.local'), 'http://ghe.local/api/v3');
  // github.com stays known beside an Enterprise server.
  assert.deepEqual(parseGitHubRemote('git@github.com:o/r.git', plain.hosts), { host: 'github.com', owner: 'o', repo: 'r' });
});
