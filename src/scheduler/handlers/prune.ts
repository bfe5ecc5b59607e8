import type { TimerKind } from '../../domain/timer.ts';
import type { Logger } from '../../log.ts';
import type { StoreRepositories } from '../../usecases/ports/store.ts';
import type { TimerHandler } from '../scheduler.ts';

export const PRUNE_KIND: TimerKind = 'store_prune';
const EVERY_MS = 86_400_000;
/**
 * Long enough that a still-firing alert or a Slack retry is never taken for new; short enough that the
 * table of seen requests and alert keys does not grow for ever. Processed inbox rows (small: the body is
 * apart) are kept as long, for `inspect` and debugging.
 */
const KEEP_MS = 30 * 86_400_000;
/** The default for INBOX_RETENTION_DAYS: webhook bodies and finished side-effect jobs. */
export const DEFAULT_RETENTION_MS = 7 * 86_400_000;

/** Plans the daily prune unless one is already planned: at start, so a restart neither loses nor doubles it. */
export async function ensurePrune(store: Pick<StoreRepositories, 'timers'>, now: Date): Promise<void> {
  await store.timers.scheduleSole({
    incidentId: null,
    kind: PRUNE_KIND,
    dueAt: new Date(now.getTime() + EVERY_MS),
  });
}

/**
 * Forgets what only protects against repeats or helps debugging once it is old: request and alert keys and
 * processed inbox rows after 30 days; webhook bodies and finished jobs after `retentionMs`. Then plans the
 * next prune.
 */
export function pruneHandler(
  store: Pick<StoreRepositories, 'timers' | 'idempotency' | 'inbox' | 'jobs'>,
  log: Logger,
  retentionMs = DEFAULT_RETENTION_MS,
): TimerHandler {
  return async (_timer, { now }) => {
    const keepUntil = new Date(now.getTime() - KEEP_MS);
    const retainUntil = new Date(now.getTime() - retentionMs);
    const removed = await store.idempotency.prune(keepUntil);
    const inbox = await store.inbox.prune(retainUntil, keepUntil);
    const jobs = await store.jobs.prune(retainUntil);
    await ensurePrune(store, now);
    log.info(
      { removed, inboxRows: inbox.rows, bodies: inbox.bodies, jobs },
      'pruned old request keys, processed webhook bodies and finished side effects',
    );
  };
}
