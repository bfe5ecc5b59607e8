import type { OpenBoard, StoreRepositories } from '../usecases/ports/store.ts';
import { yieldToLoop } from './slices.ts';

/** Incidents of App Home's board read at a time: a few ms of SQLite and zod each. */
const URGENT_PAGE = 100;

/**
 * The `limit` most urgent open incidents with their progress and timers, and how many are open. Read a page
 * at a time with a turn of the event loop between pages: 500 incidents in one statement held it some 20 ms
 * at 10k open (sorting, then parsing the rows), on every App Home refresh.
 */
export async function readUrgentBoard(
  store: Pick<StoreRepositories, 'openBoard' | 'incidents'>,
  limit: number,
): Promise<OpenBoard & { total: number }> {
  const board: OpenBoard = { incidents: [], progress: new Map(), timers: new Map() };
  while (board.incidents.length < limit) {
    const want = Math.min(URGENT_PAGE, limit - board.incidents.length);
    const page = await store.openBoard.mostUrgent(want, board.incidents.at(-1));
    board.incidents.push(...page.incidents);
    for (const [id, progress] of page.progress) board.progress.set(id, progress);
    for (const [id, timers] of page.timers) board.timers.set(id, timers);
    if (page.incidents.length < want) break;
    await yieldToLoop();
  }
  return { ...board, total: await store.incidents.countOpen() };
}
