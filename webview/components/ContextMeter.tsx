// How full the model's context is: the last step's request (input, cached and output tokens) against the
// context limit of the model config that answered it; reset by a compaction boundary. Updates per step.
import type { ChatMessage, ModelConfig } from '../../server/protocol';
import { thresholdPercent } from '../../server/compaction/policy';

const short = (n: number) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));

export function contextUse(messages: ChatMessage[]): { used: number; configId: string | null } | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role === 'system' && m.content.some((p) => p.type === 'compaction')) {
      const b = m.content.find((p) => p.type === 'compaction');
      return b && b.type === 'compaction' ? { used: b.tokens_after, configId: null } : null;
    }
    if (m.role !== 'assistant' || (m.usage.input_tokens === null && m.usage.cache_read_tokens === null)) continue;
    const u = m.usage;
    return { used: (u.input_tokens ?? 0) + (u.cache_read_tokens ?? 0) + (u.cache_creation_tokens ?? 0) + (u.output_tokens ?? 0), configId: m.model_config_id };
  }
  return null;
}

export function ContextMeter({ messages, models, fallbackConfigId }: { messages: ChatMessage[]; models: ModelConfig[]; fallbackConfigId: string | null }) {
  const use = contextUse(messages);
  if (!use) return null;
  const config = models.find((m) => m.id === (use.configId ?? fallbackConfigId));
  if (!config || config.context_limit <= 0) return null;
  const share = use.used / config.context_limit;
  const threshold = thresholdPercent(config.context_limit, config.options);
  return (
    <span class={`badge context-meter ${share * 100 >= threshold ? 'high' : ''}`} data-testid="context-meter"
      title={`Context: ${use.used.toLocaleString()} of ${config.context_limit.toLocaleString()} tokens (${Math.round(share * 100)}%). Compacts at ${threshold}%; /compact or Compact Chat to do it now.`}>
      {short(use.used)} / {short(config.context_limit)}
    </span>
  );
}
