import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import type { TimerHandler } from '../scheduler.ts';

export const PRUNE_KIND = 'store_prune';
const EVERY_MS = 86_400_000;
/**
 * Long enough that a still-firing alert or a Slack retry is never taken for new; short enough that the
 * table of seen requests and alert keys does not grow for ever.
 */
const KEEP_MS = 30 * 86_400_000;

/** Plans the daily prune unless one is already planned: at start, so a restart neither loses nor doubles it. */
export function ensurePrune(store: Store, now: Date): void {
  if (store.timers.listOpenGlobal(PRUNE_KIND).length > 0) return;
  store.timers.schedule({ incidentId: null, kind: PRUNE_KIND, dueAt: new Date(now.getTime() + EVERY_MS) });
}

/** Forgets request and alert keys older than 30 days, then plans the next prune. */
export function pruneHandler(store: Store, log: Logger): TimerHandler {
  return async (_timer, { now }) => {
    const removed = store.idempotency.prune(new Date(now.getTime() - KEEP_MS));
    ensurePrune(store, now);
    log.info({ removed }, 'pruned seen requests and alert keys older than 30 days');
  };
}
