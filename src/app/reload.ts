import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { planRunbookReview, type ReviewDeps } from '../scheduler/handlers/runbookReview.ts';
import {
  type ReloadResult,
  type RunbookSet,
  RunbookSetError,
  reloadRunbookSet,
} from '../services/runbookSet.ts';

export interface RunbookReloadDeps {
  runbooksDir: string;
  current: () => RunbookSet;
  /** Takes the reloaded set into use. */
  replace: (set: RunbookSet) => void;
  /** What else depends on the runbooks and policy (the weekly review plan). */
  afterReload: () => Promise<void>;
  metrics: Pick<Metrics, 'runbookReloads'>;
  log: Logger;
  now: () => Date;
}

/** SIGHUP and `/incident runbooks reload`: broken files keep their previous version, a broken policy throws. */
export function runbookReloader(deps: RunbookReloadDeps): () => ReloadResult {
  const { metrics, log } = deps;
  return () => {
    try {
      const result = reloadRunbookSet(deps.runbooksDir, deps.now(), deps.current());
      deps.replace(result.set);
      void deps.afterReload();
      metrics.runbookReloads.inc({ outcome: result.problems.length ? 'partial' : 'ok' });
      if (result.problems.length) {
        log.warn(
          { problems: result.problems, kept: result.kept, runbooks: result.set.catalog.runbooks.length },
          'runbooks reloaded with problems: broken files keep their previous version; fix them and reload again',
        );
      } else log.info({ runbooks: result.set.catalog.runbooks.length }, 'runbooks reloaded');
      return result;
    } catch (error) {
      metrics.runbookReloads.inc({ outcome: 'failed' });
      // A policy problem is the operator's to fix (its message says how); anything else is a defect to report.
      const detail = error instanceof RunbookSetError ? { problem: error.message } : { err: error };
      log.error(detail, 'runbook reload failed: the previous runbooks and policy stay in use');
      throw error;
    }
  };
}

/** Plans the weekly runbook review (issue 10); a failure is logged, never stops the bot. */
export async function planReview(review: ReviewDeps): Promise<void> {
  try {
    const next = await planRunbookReview(review);
    review.log.debug({ next: next?.toISOString() ?? null }, 'weekly runbook review planned');
  } catch (error) {
    review.log.error({ err: error }, 'could not plan the weekly runbook review');
  }
}
