// The model's reasoning, collapsed by default.
export function ReasoningBlock({ text, open = false }: { text: string; open?: boolean }) {
  return (
    <details class="reasoning" open={open} data-testid="reasoning">
      <summary><span class="codicon codicon-lightbulb" /> Thinking</summary>
      <div class="reasoning-text">{text}</div>
    </details>
  );
}
