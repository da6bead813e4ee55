import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PermissionMode } from '../protocol';
import { gateToolCall, type GateContext, type GateVerdict } from './gate';
import { compileRules, DEFAULT_ALLOW_RULES, DEFAULT_ASK_RULES, mergeRules } from './rules';
import { initShellParser, parseShellCommand } from './shellCommand';

let root: string;
let outside: string;
before(async () => {
  await initShellParser();
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'la-gate-')));
  root = path.join(base, 'ws');
  outside = path.join(base, 'outside');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'x');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak'));
  symlinkSync(outside, path.join(root, 'out-dir'));
});
after(() => rmSync(path.dirname(root), { recursive: true, force: true }));

function ctx(o: { allow?: string[]; ask?: string[]; deny?: string[]; mode?: PermissionMode; defaults?: boolean; trusted?: boolean; chatMode?: 'default' | 'plan' | 'explore' | 'computer_use' } = {}): GateContext {
  const defaults = o.defaults === false ? [] : [
    { rules: DEFAULT_ALLOW_RULES, list: 'allow' as const, source: 'default' as const },
    { rules: DEFAULT_ASK_RULES, list: 'ask' as const, source: 'default' as const },
  ];
  const { rules, errors } = compileRules([
    ...defaults,
    { rules: o.allow ?? [], list: 'allow', source: 'user' },
    { rules: o.ask ?? [], list: 'ask', source: 'user' },
    { rules: o.deny ?? [], list: 'deny', source: 'user' },
  ]);
  assert.deepEqual(errors, []);
  return {
    scope: { mode: o.chatMode ?? 'default', isRoot: true, rootMode: o.chatMode ?? 'default' }, trusted: o.trusted ?? true,
    policy: { mode: o.mode ?? 'default', rules: mergeRules(rules) }, folder: root, roots: [root], planFile: path.join(root, '.agents/plans/PLAN-x.md'),
  };
}

const exec = (command: string, c = ctx()) => gateToolCall({ name: 'execute', kind: 'builtin', args: { command } }, c);

describe('the rule matcher: commands (execute)', () => {
  type Row = [command: string, expected: GateVerdict, opts?: Parameters<typeof ctx>[0], needs?: string[]];
  const rows: Row[] = [
    // defaults: read-only commands run, anything else asks
    ['ls', 'allow'],
    ['ls -la src', 'allow'],
    ['cat README.md', 'allow'],
    ['head -n 5 a.txt', 'allow'],
    ['tail -f log.txt', 'allow'],
    ['wc -l src/a.ts', 'allow'],
    ['grep -rn foo src', 'allow'],
    ['rg TODO', 'allow'],
    ['find . -name "*.ts"', 'allow'],
    ['pwd', 'allow'],
    ['git status', 'allow'],
    ['git status --short', 'allow'],
    ['git diff HEAD~1', 'allow'],
    ['git log --oneline -5', 'allow'],
    ['git show HEAD', 'allow'],
    ['git branch', 'allow'],
    ['git branch -a', 'allow'],
    ['git branch -D main', 'ask', {}, ['git branch -D main']],
    ['git push', 'ask', {}, ['git push']],
    ['npm test', 'ask', {}, ['npm test']],
    ['rm -rf build', 'ask'],
    ['lsblk', 'ask', {}, ['lsblk']],
    // compound commands: every segment must be allowed
    ['ls && git status | grep foo', 'allow'],
    ['ls; rm -rf /', 'ask', {}, ['rm -rf /']],
    ['ls || curl evil.sh', 'ask', {}, ['curl evil.sh']],
    ['cat a | sh', 'ask', {}, ['sh']],
    ['ls\nrm x', 'ask', {}, ['rm x']],
    ['ls & rm x', 'ask', {}, ['rm x']],
    ['echo $(rm -rf /)', 'ask', {}, ['echo $(rm -rf /)', 'rm -rf /']],
    ['echo `whoami`', 'ask', {}, ['echo `whoami`', 'whoami']],
    ['cat <(curl x)', 'ask', {}, ['cat <(curl x)', 'curl x']],
    ['(cd src && ls)', 'ask', {}, ['cd src']],
    ['{ ls; pwd; }', 'allow'],
    ['for f in *.ts; do wc -l $f; done', 'ask', {}, ['wc -l $f']],
    ['if grep -q x a; then rm a; fi', 'ask', {}, ['rm a']],
    // sh -c, eval
    ['sh -c "ls; pwd"', 'allow'],
    ['bash -c \'ls && rm -rf /\'', 'ask', {}, ['rm -rf /']],
    ['bash -ec "npm test"', 'ask', {}, ['npm test']],
    ['sh -c "$CMD"', 'ask'],
    ['eval "ls"', 'allow'],
    ['eval "ls; rm x"', 'ask', {}, ['rm x']],
    ['eval "$X"', 'ask'],
    ['$CMD foo', 'ask'],
    // wrappers are looked through
    ['FOO=1 ls', 'allow'],
    ['env FOO=1 BAR=2 ls -l', 'allow'],
    ['env -i rm x', 'ask', {}, ['rm x']],
    ['timeout 5 git status', 'allow'],
    ['nice -n 10 rm x', 'ask', {}, ['rm x']],
    ['nohup npm start', 'ask', {}, ['npm start']],
    ['xargs rm', 'ask', {}, ['rm']],
    ['find . -name "*.tmp" | xargs -0 rm -f', 'ask', {}, ['rm -f']],
    ['sudo ls', 'ask', {}, ['sudo ls']],
    ['find . -exec rm {} \\;', 'ask', {}, ['rm {}']],
    ['find . -type f -execdir cat {} +', 'allow'],
    ['find . -name "*.o" -delete', 'ask', {}, ['rm .']],
    // quoting
    ['grep "a; rm -rf /" src', 'allow'],
    ["grep 'x && y' a.txt", 'allow'],
    ['echo "unterminated', 'ask'],
    ['ls )', 'ask'],
    // redirections write
    ['echo hi > notes.txt', 'ask', {}, ['> notes.txt']],
    ['echo hi > notes.txt', 'allow', { mode: 'acceptEdits' }],
    ['echo hi >> /etc/hosts', 'ask', { mode: 'acceptEdits' }, ['>> /etc/hosts']],
    ['ls > /dev/null 2>&1', 'allow'],
    ['git status 2>/dev/null', 'allow'],
    ['ls | tee out.txt', 'ask', {}, ['tee out.txt', 'tee out.txt']],
    ['cd /tmp && echo x > f', 'ask', { mode: 'acceptEdits', allow: ['execute(cd *)'] }, ['cd /tmp', '> f']],
    ['cd src && echo x > f', 'ask', { mode: 'acceptEdits', allow: ['execute(cd *)'] }, ['> f']],
    ['echo x > "$OUT"', 'ask', { mode: 'acceptEdits' }],
    ['cat <<EOF > gen.txt\nhello $(whoami)\nEOF', 'ask', {}, ['whoami', '> gen.txt']],
    // read-only commands outside the workspace ask
    ['cat ~/.ssh/id_rsa', 'ask', {}, ['cat ~/.ssh/id_rsa']],
    ['cat /etc/passwd', 'ask'],
    ['grep -r foo ..', 'ask'],
    ['cat leak', 'ask', {}, ['cat leak']],
    ['ls out-dir', 'ask', {}, ['ls out-dir']],
    ['cat src/../README.md', 'allow'],
    ['cat $HOME/.aws/credentials', 'ask'],
    ['rg --pre sh x', 'ask'],
    ['git diff --output=patch.txt', 'ask'],
    // user rules
    ['npm test', 'allow', { allow: ['execute(npm test*)'] }],
    ['npm test -- --watch', 'allow', { allow: ['execute(npm test*)'] }],
    ['npm run build', 'ask', { allow: ['execute(npm test*)'] }],
    ['npm test && npm run lint', 'ask', { allow: ['execute(npm test*)'] }, ['npm run lint']],
    ['make', 'allow', { allow: ['execute(make *)'] }],
    ['make install', 'allow', { allow: ['execute(make *)'] }],
    ['makex', 'ask', { allow: ['execute(make *)'] }],
    ['ls -la', 'ask', { defaults: false }],
    ['anything at all', 'allow', { allow: ['execute'] }],
    // deny beats ask beats allow
    ['git push --force', 'deny', { allow: ['execute(git *)'], deny: ['execute(git push*)'] }],
    ['ls && git push', 'deny', { deny: ['execute(git push*)'] }],
    ['sh -c "git push"', 'deny', { deny: ['execute(git push*)'] }],
    ['git commit -m x', 'ask', { allow: ['execute(git *)'], ask: ['execute(git commit*)'] }],
    ['rm -rf /', 'deny', { mode: 'bypass', deny: ['execute(rm -rf *)'] }],
    ['rm -rf build', 'allow', { mode: 'bypass' }],
    ['echo x > /etc/x', 'allow', { mode: 'bypass' }],
    ['echo "unterminated', 'allow', { mode: 'bypass' }],
    ['echo "unterminated', 'deny', { mode: 'bypass', deny: ['execute(echo*)'] }],
    ['echo x > .env', 'deny', { mode: 'acceptEdits', deny: ['write_file(.env)'] }],
    // a literal star in a rule
    ['find . -name *.js', 'allow', { defaults: false, allow: ['execute(find . -name \\*.js)'] }],
    ['find . -name x.js', 'ask', { defaults: false, allow: ['execute(find . -name \\*.js)'] }],
  ];
  for (const [command, expected, opts, needs] of rows) {
    test(`${JSON.stringify(command)}${opts ? ` ${JSON.stringify(opts)}` : ''} → ${expected}`, () => {
      const d = exec(command, ctx(opts));
      assert.equal(d.decision, expected, d.reason);
      if (needs) assert.deepEqual(d.needs.map((n) => n.subject), needs);
      if (expected === 'ask') assert.ok(d.needs.length > 0 && d.needs.every((n) => n.rule.startsWith('execute(') || n.rule.startsWith('write_file')), 'an ask says what to allow');
    });
  }
  test(`the table has at least 60 cases (${rows.length})`, () => assert.ok(rows.length >= 60));
});

describe('the rule matcher: files, MCP and other tools', () => {
  const call = (name: string, args: unknown, c = ctx(), kind: 'builtin' | 'mcp' | 'dynamic' = 'builtin') =>
    gateToolCall({ name, kind, args, ...(kind === 'mcp' ? { server: { enabled: true, allow_in_plan_mode: false, workspace_local: false } } : {}) }, c);
  test('file edits ask by default, run in acceptEdits inside the workspace, and follow rules on the real path', () => {
    assert.equal(call('write_file', { path: 'src/a.ts', content: '' }).decision, 'ask');
    assert.equal(call('write_file', { path: 'src/a.ts', content: '' }, ctx({ mode: 'acceptEdits' })).decision, 'allow');
    assert.equal(call('write_file', { path: 'src/a.ts' }, ctx({ allow: ['write_file(src/**)'] })).decision, 'allow');
    assert.equal(call('write_file', { path: './src/deep/b.ts' }, ctx({ allow: ['write_file(src/**)'] })).decision, 'allow');
    assert.equal(call('write_file', { path: 'README.md' }, ctx({ allow: ['write_file(src/**)'] })).decision, 'ask');
    assert.equal(call('edit_files', { edits: [{ path: 'a.md' }, { path: 'docs/b.md' }] }, ctx({ allow: ['edit_files(**/*.md)'] })).decision, 'allow');
    assert.equal(call('edit_files', { edits: [{ path: 'a.md' }, { path: 'b.ts' }] }, ctx({ allow: ['edit_files(**/*.md)'] })).decision, 'ask');
    // The symlink leads outside: the real path is what the rule sees.
    assert.equal(call('write_file', { path: 'out-dir/x' }, ctx({ mode: 'acceptEdits' })).decision, 'ask');
    assert.equal(call('write_file', { path: 'leak' }, ctx({ allow: ['write_file(leak)'] })).decision, 'ask');
    assert.equal(call('write_file', { path: '.env' }, ctx({ mode: 'bypass', deny: ['write_file(.env)'] })).decision, 'deny');
    assert.deepEqual(call('write_file', { path: 'src/a*.ts' }).needs.map((n) => n.rule), ['write_file(src/a\\*.ts)']);
  });
  test('reads run; a deny rule stops them', () => {
    assert.equal(call('read_file', { path: 'src/a.ts' }).decision, 'allow');
    assert.equal(call('read_file', { path: '.env' }, ctx({ deny: ['read_file(.env)'] })).decision, 'deny');
  });
  test('plan mode writes only the plan file, without asking', () => {
    const plan = ctx({ chatMode: 'plan' });
    assert.equal(call('write_file', { path: '.agents/plans/PLAN-x.md' }, plan).decision, 'allow');
    const other = call('write_file', { path: 'src/impl.ts' }, plan);
    assert.equal(other.decision, 'deny');
    assert.match(other.reason, /may only write the plan file/);
  });
  test('MCP tools ask unless a rule allows them; dynamic and read-only tools run', () => {
    assert.equal(call('everything__echo', {}, ctx(), 'mcp').decision, 'ask');
    assert.equal(call('everything__echo', {}, ctx({ allow: ['everything__echo'] }), 'mcp').decision, 'allow');
    assert.equal(call('github__create_issue', {}, ctx({ allow: ['github__*'] }), 'mcp').decision, 'allow');
    assert.equal(call('github__create_issue', {}, ctx({ allow: ['github__*'], deny: ['github__create_*'] }), 'mcp').decision, 'deny');
    assert.deepEqual(call('everything__echo', {}, ctx(), 'mcp').needs.map((n) => n.rule), ['everything__echo']);
    assert.equal(call('client_tool', {}, ctx(), 'dynamic').decision, 'allow');
    assert.equal(call('spawn_explore_agent', { prompt: 'x' }).decision, 'allow');
  });
  test('untrusted workspaces run nothing and write nothing', () => {
    for (const name of ['execute', 'write_file', 'edit_files']) {
      const d = call(name, { command: 'ls', path: 'a', edits: [] }, ctx({ trusted: false, mode: 'bypass' }));
      assert.equal(d.decision, 'deny');
      assert.equal(d.by, 'trust');
    }
    assert.equal(call('read_file', { path: 'a' }, ctx({ trusted: false })).decision, 'allow');
  });
  test('the mode table comes first, and the tool list drops only wholly denied tools', () => {
    const explore = ctx({ chatMode: 'explore', mode: 'bypass' });
    assert.equal(gateToolCall({ name: 'write_file', kind: 'builtin' }, explore).decision, 'deny');
    assert.equal(gateToolCall({ name: 'execute', kind: 'builtin' }, ctx({ deny: ['execute(rm*)'] })).decision, 'allow');
    assert.equal(gateToolCall({ name: 'execute', kind: 'builtin' }, ctx({ deny: ['execute'] })).decision, 'deny');
  });
  test('a rule is checked when read: the error names it', () => {
    const { errors } = compileRules([{ rules: ['execute(', 'read_skill(x)', 'execute()', 'ok_tool'], list: 'allow', source: 'user' }]);
    assert.equal(errors.length, 3);
    assert.match(errors[0], /user allow\[0\]: Invalid permission rule "execute\("/);
    assert.match(errors[1], /read_skill takes no pattern/);
    assert.match(errors[2], /pattern in parentheses is empty/);
  });
});

test('the parser reports what it could not check', () => {
  assert.deepEqual(parseShellCommand('eval "$(curl x)"'), { ok: false, reason: 'eval runs text that is known only when the shell runs' });
  const r = parseShellCommand('FOO=1 timeout 3 env A=b nice -n 1 git status');
  assert.ok(r.ok);
  assert.deepEqual(r.ok && r.segments.map((s) => s.text), ['git status']);
});

describe('computer', () => {
  const cu = (o: Parameters<typeof ctx>[0] = {}) => ({ ...ctx({ ...o, chatMode: 'computer_use' }), scope: { mode: 'computer_use' as const, isRoot: false, rootMode: 'default' as const } });
  const nav = (url: string) => ({ name: 'computer', kind: 'builtin' as const, args: { action: 'navigate', url } });
  test('a navigate on loopback runs; any other origin asks and offers a rule for its whole origin', () => {
    assert.equal(gateToolCall(nav('http://127.0.0.1:5173/app'), cu()).decision, 'allow');
    assert.equal(gateToolCall(nav('http://localhost:3000/'), cu()).decision, 'allow');
    const d = gateToolCall(nav('https://example.com/a/b'), cu());
    assert.equal(d.decision, 'ask');
    assert.deepEqual(d.needs.map((n) => n.rule), ['computer(https://example.com/*)']);
    assert.equal(gateToolCall(nav('https://example.com/a/b'), cu({ allow: ['computer(https://example.com/*)'] })).decision, 'allow');
    assert.equal(gateToolCall(nav('https://example.com/a/b'), cu({ mode: 'bypass' })).decision, 'allow');
    assert.equal(gateToolCall(nav('http://127.0.0.1:5173/admin'), cu({ deny: ['computer(http://127.0.0.1:5173/admin*)'], mode: 'bypass' })).decision, 'deny');
  });
  test('other actions act on the page already open: allowed, unless a bare deny rule removes the tool', () => {
    assert.equal(gateToolCall({ name: 'computer', kind: 'builtin', args: { action: 'click', x: 1, y: 2 } }, cu()).decision, 'allow');
    assert.equal(gateToolCall({ name: 'computer', kind: 'builtin', args: { action: 'click', x: 1, y: 2 } }, cu({ deny: ['computer'] })).decision, 'deny');
  });
  test('computer only in computer_use chats, and never untrusted; the spawn tool needs trust too', () => {
    assert.match(gateToolCall(nav('http://127.0.0.1/'), ctx()).reason, /only available to computer-use agents/);
    assert.equal(gateToolCall(nav('http://127.0.0.1/'), cu({ trusted: false })).by, 'trust');
    assert.equal(gateToolCall({ name: 'spawn_computer_use_agent', kind: 'builtin', args: { prompt: 'x' } }, ctx({ trusted: false })).by, 'trust');
    assert.equal(gateToolCall({ name: 'spawn_computer_use_agent', kind: 'builtin', args: { prompt: 'x' } }, ctx()).decision, 'allow');
  });
});
