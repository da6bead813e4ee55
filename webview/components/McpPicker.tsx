// Which MCP servers this message may use: enabled servers, default_on preselected for a new chat,
// force_on always on. Sent as `mcp_server_ids` with the message.
import { useEffect, useState } from 'preact/hooks';
import type { Chat } from '../../server/protocol';
import type { McpServerConfig } from '../../server/protocol/mcp';
import { ListMcpServers } from '../../server/protocol/methods';
import { onHostMessage, request } from '../rpc';

export function useMcpSelection(chat: Chat | null): { servers: McpServerConfig[]; selected: string[]; setSelected(ids: string[]): void } {
  const [servers, setServers] = useState<McpServerConfig[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const load = () => request(ListMcpServers, { include_workspace_local: true }).then((all) => setServers(all.filter((s) => s.enabled))).catch(() => setServers([]));
  useEffect(() => {
    void load();
    return onHostMessage((m) => { if (m.type === 'mcpServersChanged' || m.type === 'providersChanged') void load(); });
  }, []);
  useEffect(() => {
    setSelected(chat ? chat.mcp_server_ids : servers.filter((s) => s.availability === 'default_on').map((s) => s.id));
  }, [chat?.id, servers]);
  return { servers, selected, setSelected };
}

export function McpPicker({ servers, selected, onChange }: { servers: McpServerConfig[]; selected: string[]; onChange(ids: string[]): void }) {
  const [open, setOpen] = useState(false);
  if (servers.length === 0) return null;
  const on = (s: McpServerConfig) => s.availability === 'force_on' || selected.includes(s.id);
  const count = servers.filter(on).length;
  return (
    <span class="mcp-picker">
      <button class="toggle" data-testid="mcp-picker" title="MCP servers for this message" onClick={() => setOpen(!open)}>
        <span class="codicon codicon-server" /> MCP {count}
      </button>
      {open && (
        <div class="mcp-menu" data-testid="mcp-menu">
          {servers.map((s) => (
            <label class="mcp-option" key={s.id}>
              <input type="checkbox" data-testid="mcp-option" data-slug={s.slug} checked={on(s)} disabled={s.availability === 'force_on'}
                onChange={(e) => onChange((e.target as HTMLInputElement).checked ? [...selected, s.id] : selected.filter((x) => x !== s.id))} />
              {s.display_name}{s.availability === 'force_on' ? ' (always on)' : ''}{s.workspace_local ? ' (workspace)' : ''}
            </label>
          ))}
        </div>
      )}
    </span>
  );
}
