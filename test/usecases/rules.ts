import { IncidentService } from '../../src/services/incidentService.ts';
import { loadRunbookSet } from '../../src/services/runbookSet.ts';
import { Timekeeper } from '../../src/services/timekeeper.ts';
import { manualClock, tempStore } from '../store/helpers.ts';

/**
 * A use case's real collaborators: a fresh store on a hand-moved clock and the incident rules over the
 * shipped runbooks, with timers planned from `now`.
 */
export async function incidentRules(now: () => Date) {
  const clock = manualClock();
  const port = await tempStore(clock.now);
  const set = loadRunbookSet('runbooks', new Date('2026-11-22'));
  const timekeeper = new Timekeeper(port, () => set, now);
  const incidents = new IncidentService(port, () => set, timekeeper);
  return { clock, port, set, timekeeper, incidents };
}
