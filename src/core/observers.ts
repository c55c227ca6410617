/**
 * What the core reports for metrics, without knowing who listens (http/metrics.ts does).
 * Process-wide: one server per process in production; a listener never breaks the caller.
 */
export type CoreEvent =
  | { type: 'audit'; kind: string; reason?: string }
  | { type: 'token_issued'; kind: 'access' | 'refresh' | 'api' }
  | { type: 'rate_limited'; bucket: string }
  | { type: 'rate_limit_fallback'; bucket: string }
  | { type: 'cleanup'; table: string; rows: number };

type Listener = (event: CoreEvent) => void;

const listeners = new Set<Listener>();

/** Adds a listener; returns the function that removes it. */
export function observeCore(listener: Listener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function emitCoreEvent(event: CoreEvent): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // Metrics are best-effort: a broken listener must not fail a login.
    }
  }
}
