export interface SelectionDiff {
  /** Positions this user ticked, ascending. */
  tick: number[];
  /** Positions this user cleared, ascending. */
  clear: number[];
}

const POSITION = /^\d+$/;

function positions(values: readonly string[]): Set<number> {
  const result = new Set<number>();
  for (const value of values) {
    if (!POSITION.test(value)) continue;
    const n = Number(value);
    if (Number.isSafeInteger(n)) result.add(n);
  }
  return result;
}

/**
 * What one click changed, as positions to tick and to clear. `seen` is the option values checked in the
 * message the user saw (its `initial_options`), `selected` what the checkboxes report after the click.
 *
 * Slack sends the whole selection, not the toggled box, and the user's view may be a moment stale:
 * writing `selected` as the new state would undo a tick someone else made since. Applying only the
 * difference leaves every box this user did not touch as the database has it.
 *
 * Both lists must come from the same checkboxes element: when a step's checks are split over several
 * elements (10 options each), an option of another element missing from `selected` would read as cleared.
 * Values that are not non-negative integers are ignored, since they cannot name a check.
 */
export function diffSelection(seen: readonly string[], selected: readonly string[]): SelectionDiff {
  const before = positions(seen);
  const after = positions(selected);
  const ascending = (a: number, b: number) => a - b;
  return {
    tick: [...after].filter((p) => !before.has(p)).sort(ascending),
    clear: [...before].filter((p) => !after.has(p)).sort(ascending),
  };
}

/**
 * A step completes by itself when every check is ticked. A step with no checks returns false: there is
 * nothing to tick, so it completes only when a responder marks it done explicitly, rather than
 * completing the moment it is posted before anyone has read it.
 */
export function stepComplete(checks: readonly { checked: boolean }[]): boolean {
  return checks.length > 0 && checks.every((c) => c.checked);
}

export interface StepProgress {
  done: number;
  skipped: number;
  total: number;
}

/**
 * "Step 3 of 5" progress over the runbook's procedure steps only: prerequisites, the process checklist and
 * the resolution and post-incident lists are checklists beside the walk, not steps of it.
 */
export function progress(steps: readonly { section: string; state: string }[]): StepProgress {
  const walk = steps.filter((s) => s.section === 'step');
  return {
    done: walk.filter((s) => s.state === 'done').length,
    skipped: walk.filter((s) => s.state === 'skipped').length,
    total: walk.length,
  };
}
