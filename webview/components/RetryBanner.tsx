// The provider failed and the server retries the step: the error and a countdown to the next attempt.
import { useEffect, useState } from 'preact/hooks';
import type { RetryInfo } from '../state/chatState';

export function RetryBanner({ retry }: { retry: RetryInfo }) {
  const [now, setNow] = useState(() => Date.now());
  // Without the server's time of the next attempt, count from when the event was shown.
  const [shownAt] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [retry]);
  const at = retry.at ?? shownAt + retry.delayMs;
  const seconds = Math.max(0, Math.ceil((at - now) / 1000));
  return (
    <div class="banner retry" data-testid="retry-note">
      <span class="codicon codicon-sync" /> {retry.error} — {seconds > 0 ? `retrying in ${seconds} s…` : 'retrying…'} (attempt {retry.attempt + 1})
    </div>
  );
}
