/**
 * How much of a drill was done, and whether it counts as a test of its runbook. A drill tests the runbook
 * only when every step was either completed or skipped with a reason (a skip says where the runbook is
 * unclear, which is what a drill is for); a drill stopped half-way rehearsed half a runbook.
 */

/** Step states that end a step in a drill: done as written, or skipped on purpose. */
export const FINISHED_STEP_STATES = ['done', 'skipped'] as const;

export interface DrillOutcome {
  total: number;
  completed: number;
  skipped: number;
  notDone: number;
  countsAsTest: boolean;
}

export function drillOutcome(stepStates: readonly string[]): DrillOutcome {
  const completed = stepStates.filter((s) => s === 'done').length;
  const skipped = stepStates.filter((s) => s === 'skipped').length;
  const notDone = stepStates.length - completed - skipped;
  return { total: stepStates.length, completed, skipped, notDone, countsAsTest: notDone === 0 };
}

/** "2 of 4 steps completed, 1 skipped, 1 not done": every number, so nobody reads more into it. */
export function drillSummary(outcome: DrillOutcome): string {
  const { total, completed, skipped, notDone } = outcome;
  const parts = [`${completed} of ${total} step${total === 1 ? '' : 's'} completed`, `${skipped} skipped`];
  if (notDone > 0) parts.push(`${notDone} not done`);
  return parts.join(', ');
}
