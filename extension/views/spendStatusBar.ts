// Today's spend in the status bar: read when the server starts and after the settings are handed over, then
// kept by UsageChangedNotification. A reached limit turns it to the warning colour; the tooltip says which
// limit and when it resets. A click opens the Usage tab.
import * as vscode from 'vscode';
import { GetSpendStatus, UsageChangedNotification } from '../../server/protocol/methods';
import type { SpendStatus } from '../../server/protocol/usage';
import type { AgentsContext } from '../context';
import { spendStatusView } from './spendStatus';

export class SpendStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('localAgents.spend', vscode.StatusBarAlignment.Right, 100);
  private readonly listeners = new Set<(s: SpendStatus) => void>();
  last: SpendStatus | undefined;

  constructor(private readonly ctx: AgentsContext) {
    this.item.name = 'Local Agents: Spend Today';
    this.item.command = 'localAgents.showUsage';
    ctx.server.onServerNotification(UsageChangedNotification, (p) => this.show(p.spend));
  }

  /** Views that follow the spend (the management panel's usage tab). */
  onChange(fn: (s: SpendStatus) => void): vscode.Disposable {
    this.listeners.add(fn);
    return new vscode.Disposable(() => this.listeners.delete(fn));
  }

  async refresh(): Promise<void> {
    if (!this.ctx.server.started) return;
    try {
      this.show(await this.ctx.request(GetSpendStatus, {}));
    } catch (err) {
      this.ctx.log.appendLine(`spend status failed: ${(err as Error).message}`);
    }
  }

  private show(s: SpendStatus): void {
    this.last = s;
    const v = spendStatusView(s);
    this.item.text = v.text;
    this.item.tooltip = v.tooltip;
    this.item.backgroundColor = v.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: v.tooltip.split('\n')[0] };
    this.item.show();
    for (const l of this.listeners) l(s);
  }

  dispose(): void {
    this.item.dispose();
  }
}
