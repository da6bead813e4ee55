// The status bar's words for today's spend and the spend limits (plain data in, text out; no vscode here).
import type { SpendLimit, SpendStatus } from '../../server/protocol/usage';

export const usd = (micros: number): string => `$${(micros / 1e6).toFixed(micros > 0 && micros < 10_000 ? 4 : 2)}`;

const periodName = (l: SpendLimit) => (l.period === 'day' ? 'Daily' : 'Monthly');

export function limitLine(l: SpendLimit, locale?: string): string {
  const resets = new Date(l.resets_at).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const state = l.spent_micros >= l.limit_micros ? 'reached' : `${Math.floor((l.spent_micros / l.limit_micros) * 100)}% used`;
  return `${periodName(l)} limit ${usd(l.limit_micros)}: ${usd(l.spent_micros)} spent, ${state}; resets ${resets}`;
}

export interface SpendStatusView { text: string; tooltip: string; warning: boolean }

export function spendStatusView(s: SpendStatus, locale?: string): SpendStatusView {
  const unpriced = s.today_unpriced_requests > 0 ? ` + ${s.today_unpriced_requests} unpriced request${s.today_unpriced_requests === 1 ? '' : 's'}` : '';
  const lines = [`Local Agents spend today: ${usd(s.today_micros)}${unpriced}`, `This month: ${usd(s.month_micros)}`];
  if (s.exceeded) {
    lines.unshift(`${periodName(s.exceeded)} spend limit reached: new turns do not start until it resets (${new Date(s.exceeded.resets_at).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })}).`, '');
  }
  for (const l of s.limits) lines.push(limitLine(l, locale));
  if (s.limits.length === 0) lines.push('No spend limit (localAgents.usage.dailySpendLimit, localAgents.usage.monthlySpendLimit).');
  lines.push('', 'Click to show usage.');
  return { text: `${s.exceeded ? '$(warning)' : '$(graph)'} ${usd(s.today_micros)}${unpriced ? '+' : ''}`, tooltip: lines.join('\n'), warning: !!s.exceeded };
}
