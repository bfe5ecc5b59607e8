import type { TimelineEntry } from '../domain/timeline.ts';
import type { TimelineStore } from '../usecases/ports/store.ts';

/** Slices waiting for their turn, oldest first. */
const waiting: (() => void)[] = [];
let pumping = false;

/** Lets the oldest waiting slice run, and the next one only in the loop's next iteration. */
function releaseOne(): void {
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(releaseOne);
  else pumping = false;
}

/**
 * Lets other requests run: a 10k-entry timeline is read and rendered in slices with this between them.
 * One slice a turn of the event loop, whoever waits: six tabs drawn at once each waiting on its own
 * setImmediate would all run in the same check phase, back to back, and hold the loop for the six.
 */
export const yieldToLoop = (): Promise<void> =>
  new Promise((resolve) => {
    waiting.push(resolve);
    if (pumping) return;
    pumping = true;
    setImmediate(releaseOne);
  });

/** Entries read per slice: a few milliseconds of SQLite and zod each, far below the 50 ms budget. */
const PAGE = 250;

/** The whole timeline, oldest first, read in slices so a huge incident never holds the event loop. */
export async function readTimeline(
  repo: Pick<TimelineStore, 'page'>,
  incidentId: number,
): Promise<TimelineEntry[]> {
  const all: TimelineEntry[] = [];
  for (;;) {
    const last = all.at(-1);
    const page = await repo.page(incidentId, last ? { at: last.at, id: last.id } : null, PAGE);
    all.push(...page);
    if (page.length < PAGE) return all;
    await yieldToLoop();
  }
}

/** Maps `items` in slices of `size`, yielding between slices; `render` gets one slice at a time. */
export async function renderInSlices<T, R>(
  items: readonly T[],
  size: number,
  render: (slice: readonly T[]) => R[],
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...render(items.slice(i, i + size)));
    if (i + size < items.length) await yieldToLoop();
  }
  return out;
}
