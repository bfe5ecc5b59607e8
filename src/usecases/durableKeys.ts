import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface Scope {
  readonly prefix: string;
  next: number;
}

const scopes = new AsyncLocalStorage<Scope>();

/**
 * Runs `work` so that the durable side effects it queues are keyed `prefix:1`, `prefix:2`, ... in the
 * order it queues them. A timer's firing runs in one: when a replica dies mid-firing and another fires
 * the timer again, the second firing queues the same keys, so what the first queued runs once, not twice.
 */
export function withDurableKeys<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  return scopes.run({ prefix, next: 0 }, work);
}

/** The key of the next durable side effect: deterministic inside `withDurableKeys`, else unique. */
export function nextDurableKey(): string {
  const scope = scopes.getStore();
  if (!scope) return randomUUID();
  scope.next += 1;
  return `${scope.prefix}:${scope.next}`;
}

/**
 * The key of what a timer's firing records once (its timeline entry), named apart from the side effects'
 * numbered keys so adding one never shifts theirs; null outside `withDurableKeys` (nothing to repeat).
 */
export function firingKey(name: string): string | null {
  const scope = scopes.getStore();
  return scope ? `${scope.prefix}:${name}` : null;
}
