// The management panel: one tab bar, one tab shown; each command opens the panel on its tab.
import { useEffect, useState } from 'preact/hooks';
import type { ManageTab } from '../../server/protocol/webview';
import { onHostMessage } from '../rpc';
import { AuditTab } from './AuditTab';
import { ProvidersTab } from './ProvidersTab';
import { RequestLogTab } from './RequestLogTab';
import { SecretsTab } from './SecretsTab';
import { UsageTab } from './UsageTab';

const TABS: Array<{ id: ManageTab; label: string; icon: string }> = [
  { id: 'providers', label: 'Providers & Models', icon: 'server-environment' },
  { id: 'usage', label: 'Usage', icon: 'graph' },
  { id: 'requests', label: 'Request Log', icon: 'list-flat' },
  { id: 'secrets', label: 'Secrets', icon: 'lock' },
  { id: 'audit', label: 'Audit', icon: 'history' },
];

export function ManageApp() {
  const [tab, setTab] = useState<ManageTab | null>(null);
  const [workspace, setWorkspace] = useState<string | null>(null);
  useEffect(() => onHostMessage((m) => {
    if (m.type === 'manageInit') { setTab(m.tab); setWorkspace(m.workspace); }
    if (m.type === 'showTab') setTab(m.tab);
  }), []);
  if (!tab) return <div class="manage loading">Loading…</div>;
  return (
    <div class="manage">
      <div class="tabs" role="tablist" data-testid="manage-tabs">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} class={`tab ${tab === t.id ? 'active' : ''}`} data-testid={`tab-${t.id}`} onClick={() => setTab(t.id)}>
            <span class={`codicon codicon-${t.icon}`} /> {t.label}
          </button>
        ))}
      </div>
      <div class="tab-body" role="tabpanel" data-testid={`panel-${tab}`}>
        {tab === 'providers' && <ProvidersTab />}
        {tab === 'usage' && <UsageTab />}
        {tab === 'requests' && <RequestLogTab />}
        {tab === 'secrets' && <SecretsTab workspace={workspace} />}
        {tab === 'audit' && <AuditTab />}
      </div>
    </div>
  );
}
