// Spend limits per local day and month (settings): a turn that has reached one does not start a request. The
// seed's rule: blocked when spend ≥ limit, 409 "Chat usage limit exceeded." with spent, limit and resets_at;
// the check fails open (a broken read of the log never stops work).
import type { AppContext } from '../context';
import { ModelError } from '../llm/types';
import { log } from '../logger';
import type { SpendLimit, SpendStatus } from '../protocol/usage';
import { spendSince } from '../store/usage';
import { iso } from '../util/time';
import { startOfLocalDay, startOfLocalMonth, startOfNextLocalMonth, timeZone } from './localDays';

export const USAGE_LIMIT_MESSAGE = 'Chat usage limit exceeded.';

/** Dollars with cents, and the fractions of a cent a small limit or spend has ($0.005, not $0.01). */
function usd(micros: number): string {
  const [whole, fraction = ''] = (micros / 1_000_000).toFixed(6).replace(/0+$/, '').split('.');
  return `$${whole}.${fraction.padEnd(2, '0')}`;
}

export function spendStatus(ctx: AppContext): SpendStatus {
  const now = ctx.now();
  const dayStart = startOfLocalDay(now);
  const monthStart = startOfLocalMonth(now);
  const today = spendSince(ctx.db, dayStart);
  const month = spendSince(ctx.db, monthStart);
  const { dailyMicros, monthlyMicros } = ctx.settings.spendLimits;
  const limits: SpendLimit[] = [];
  // The next local midnight: tomorrow's date at 00:00 (not +24 h, which DST changes would miss).
  const nextDay = startOfLocalDay(dayStart + 36 * 3_600_000);
  if (dailyMicros) limits.push({ period: 'day', limit_micros: dailyMicros, spent_micros: today.cost_micros, resets_at: iso(nextDay) });
  if (monthlyMicros) limits.push({ period: 'month', limit_micros: monthlyMicros, spent_micros: month.cost_micros, resets_at: iso(startOfNextLocalMonth(now)) });
  return {
    time_zone: timeZone(), today_micros: today.cost_micros, month_micros: month.cost_micros, today_unpriced_requests: today.unpriced,
    limits, exceeded: limits.find((l) => l.spent_micros >= l.limit_micros) ?? null,
  };
}

/** Throws the usage-limit error when a limit is reached; any other failure lets the request go. */
export function assertWithinSpendLimits(ctx: AppContext): void {
  const { dailyMicros, monthlyMicros } = ctx.settings.spendLimits;
  if (!dailyMicros && !monthlyMicros) return;
  let exceeded: SpendLimit | null;
  try {
    exceeded = spendStatus(ctx).exceeded;
  } catch (err) {
    log.warn('spend limit check failed; the request goes ahead', { error: (err as Error).message });
    return;
  }
  if (!exceeded) return;
  const period = exceeded.period === 'day' ? 'daily' : 'monthly';
  const resets = new Date(exceeded.resets_at).toLocaleString();
  throw new ModelError(USAGE_LIMIT_MESSAGE, 'usage_limit', false, 409,
    `The ${period} spend limit of ${usd(exceeded.limit_micros)} is reached (${usd(exceeded.spent_micros)} spent); it resets at ${resets}. Raise localAgents.usage.${period === 'daily' ? 'daily' : 'monthly'}SpendLimit to continue now.`);
}
