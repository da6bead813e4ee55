import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mcpServerAvailability } from './planGate';

const cfg = (o: Partial<{ enabled: boolean; allow_in_plan_mode: boolean; workspace_local: boolean }> = {}) => ({ enabled: true, allow_in_plan_mode: false, workspace_local: false, ...o });

const table: Array<[string, 'default' | 'plan' | 'explore', boolean, ReturnType<typeof cfg>, boolean]> = [
  ['disabled server', 'default', true, cfg({ enabled: false }), false],
  ['default root', 'default', true, cfg(), true],
  ['default subagent', 'default', false, cfg(), true],
  ['workspace-local in a root chat', 'default', true, cfg({ workspace_local: true }), true],
  ['workspace-local to a delegated subagent', 'default', false, cfg({ workspace_local: true }), false],
  ['plan root without allow_in_plan_mode', 'plan', true, cfg(), false],
  ['plan root with allow_in_plan_mode', 'plan', true, cfg({ allow_in_plan_mode: true }), true],
  ['plan subagent even if allowed', 'plan', false, cfg({ allow_in_plan_mode: true }), false],
  ['plan root, workspace-local even if allowed', 'plan', true, cfg({ allow_in_plan_mode: true, workspace_local: true }), false],
  ['explore child, configured server', 'explore', false, cfg(), true],
  ['explore child, workspace-local', 'explore', false, cfg({ workspace_local: true }), false],
];

for (const [name, mode, isRootChat, config, allowed] of table) {
  test(`gate: ${name}`, () => {
    const r = mcpServerAvailability({ mode, isRootChat, config });
    assert.equal(r.allowed, allowed);
    if (!allowed) assert.ok(r.reason && r.reason.length > 10);
  });
}
