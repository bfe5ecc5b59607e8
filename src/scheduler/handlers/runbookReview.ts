import type { TimerKind } from '../../domain/timer.ts';
import type { Logger } from '../../log.ts';
import {
  groupByOwner,
  nextReviewAt,
  type ReviewBatch,
  reviewSchedule,
  runbooksToReview,
  TROUBLE_WINDOW_DAYS,
} from '../../runbooks/review.ts';
import type { RunbookSet } from '../../services/runbookSet.ts';
import type { StorePort } from '../../usecases/ports/store.ts';
import type { TimerHandler } from '../scheduler.ts';

/** The weekly runbook review: one durable timer row, which re-plans the next week when it fires. */
export const RUNBOOK_REVIEW: TimerKind = 'runbook_review';

export interface ReviewDeps {
  store: StorePort;
  runbooks: () => RunbookSet;
  /** Sends one owner (or the review channel) their runbooks to look at; chat renders it. */
  post: (channel: string, batch: ReviewBatch) => Promise<unknown>;
  log: Logger;
  now: () => Date;
}

/**
 * Makes sure the next review is planned, at start and after a reload. Planning is idempotent (the
 * timers table is unique on kind and due time), so a restart never doubles a week; a review that came
 * due while the bot was down is kept and fires once, late; a future one at a slot the policy no longer
 * names is cancelled. Returns the next slot, or null when reviews are turned off.
 */
export function planRunbookReview(deps: ReviewDeps, now: Date = deps.now()): Promise<Date | null> {
  const schedule = reviewSchedule(deps.runbooks().policy);
  const next = schedule.enabled ? nextReviewAt(now, schedule) : null;
  return deps.store.transaction(async (tx) => {
    for (const timer of await tx.periodicTimers.pending(RUNBOOK_REVIEW)) {
      const future = Date.parse(timer.dueAt) > now.getTime();
      if (future && timer.dueAt !== next?.toISOString()) await tx.periodicTimers.cancel(timer.id, now);
    }
    if (next) await tx.timers.schedule({ incidentId: null, kind: RUNBOOK_REVIEW, dueAt: next });
    return next;
  });
}

/** Posts this week's review: to each owner the runbooks that need a look. Returns what was sent where. */
export async function postRunbookReview(deps: ReviewDeps, now: Date = deps.now()): Promise<ReviewBatch[]> {
  const { catalog, policy } = deps.runbooks();
  const items = runbooksToReview({
    runbooks: catalog.runbooks,
    policy,
    now,
    drills: await deps.store.runbookHistory.lastDrills(),
    skipped: await deps.store.runbookHistory.skippedSince(
      new Date(now.getTime() - TROUBLE_WINDOW_DAYS * 86_400_000),
    ),
  });
  const batches = groupByOwner(items, reviewSchedule(policy).channel);
  for (const batch of batches) {
    try {
      await deps.post(batch.channel, batch);
    } catch (error) {
      // One owner's closed DM must not cost the others their reminder.
      deps.log.error(
        { err: error, channel: batch.channel, runbooks: batch.items.map((i) => i.runbook.id) },
        'could not post a runbook review reminder',
      );
    }
  }
  deps.log.info({ reminders: batches.length, runbooks: items.length }, 'weekly runbook review posted');
  return batches;
}

export function runbookReviewHandler(deps: ReviewDeps): TimerHandler {
  return async (_timer, firing) => {
    try {
      await postRunbookReview(deps, firing.now);
    } finally {
      // Whatever happened to this week's, next week's is planned.
      await planRunbookReview(deps, firing.now);
    }
  };
}
