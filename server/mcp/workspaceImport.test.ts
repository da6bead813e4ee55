import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDb } from '../store/db';
import { createConfigRow, listConfigRows } from './configStore';
import { McpSecrets } from './secrets';
import { importWorkspaceMcp, workspaceFolderOf } from './workspaceImport';

const source = '/home/me/project/.vscode/mcp.json';

test('VS Code mcp.json servers become workspace-local entries; variables resolved, prompted inputs skipped, header values held as secrets', () => {
  const db = openDb(':memory:');
  const secrets = new McpSecrets();
  createConfigRow(db, { slug: 'github', display_name: 'GitHub (configured)', url: 'https://example.com/mcp' }, 1);
  process.env.LA_TEST_TOKEN_DIR = '/data';
  const r = importWorkspaceMcp(db, secrets, source, {
    github: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer ghp_secret' } },
    files: { command: 'npx', args: ['-y', 'server-filesystem', '${workspaceFolder}', '${env:LA_TEST_TOKEN_DIR}'] },
    legacy: { type: 'sse', url: 'https://legacy.example.com/sse' },
    prompted: { type: 'http', url: 'https://x.example.com', headers: { 'X-Key': '${input:apiKey}' } },
    broken: { type: 'stdio' },
  }, 2);
  assert.deepEqual(r.skipped.map((s) => s.name), ['prompted', 'broken']);
  assert.match(r.skipped[0]?.reason ?? '', /\$\{input:…\}/);
  const bySlug = Object.fromEntries(r.imported.map((c) => [c.slug, c]));
  assert.deepEqual(Object.keys(bySlug).sort(), ['files', 'github-2', 'legacy'], 'a clash with a configured slug gets a suffix');
  assert.equal(bySlug['github-2']?.workspace_local, true);
  assert.equal(bySlug['github-2']?.auth_type, 'custom_headers');
  assert.equal(bySlug['github-2']?.has_custom_headers, true);
  assert.equal(secrets.getJson<Record<string, string>>(bySlug['github-2']?.id ?? '', 'custom_headers')?.Authorization, 'Bearer ghp_secret');
  assert.deepEqual(bySlug.files?.args, ['-y', 'server-filesystem', '/home/me/project', '/data']);
  assert.equal(bySlug.files?.cwd, '/home/me/project');
  assert.equal(bySlug.legacy?.transport, 'sse');
  assert.equal(bySlug.files?.workspace_source, source);

  // Re-import: entries updated in place (ids kept), removed ones deleted.
  const again = importWorkspaceMcp(db, secrets, source, { files: { command: 'node', args: ['srv.js'] } }, 3);
  assert.equal(again.imported[0]?.id, bySlug.files?.id);
  assert.deepEqual(again.imported[0]?.args, ['srv.js']);
  assert.equal(again.removed, 2);
  assert.deepEqual(listConfigRows(db).map((r) => r.slug).sort(), ['files', 'github']);
  assert.equal(secrets.has(bySlug['github-2']?.id ?? '', 'custom_headers'), false, 'secrets of removed entries are dropped');
});

test('the workspace folder of a .vscode/mcp.json is the folder above .vscode', () => {
  assert.equal(workspaceFolderOf('/a/b/.vscode/mcp.json'), '/a/b');
  assert.equal(workspaceFolderOf('/a/b/mcp.json'), '/a/b');
});
