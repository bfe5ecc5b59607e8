import { expect, it } from 'vitest';
import { IncidentService } from '../../src/services/incidentService.ts';
import { manualClock, tempStore } from '../store/helpers.ts';
import { turnsDuring } from '../support/eventLoopTurns.ts';

const noRunbooks = () => {
  throw new Error('the board reads no runbook');
};

it("App Home's board, read a page at a time, is the one statement's board: order, progress, timers, total", async () => {
  const clock = manualClock('2026-11-22T10:00:00.000Z');
  const store = await tempStore(clock.now);
  const severities = ['P2', 'P0', 'P3', 'P1'] as const;
  // Many share a declared_at (the clock moves every 7th): pages must end and resume on the id as well.
  for (let i = 0; i < 260; i++) {
    if (i % 7 === 0) clock.advance(1_000);
    const incident = await store.incidents.create({
      title: `Incident ${i}`,
      severity: severities[i % 4] ?? 'P2',
      declaredBy: 'U1',
      source: 'slash',
    });
    await store.checklist.insertSteps([
      { incidentId: incident.id, position: 0, section: 'step', runbookId: 'RUN-1', number: 1, title: 'Look' },
    ]);
    if (i % 3 === 0)
      await store.timers.schedule({ incidentId: incident.id, kind: 'escalation', dueAt: clock.now() });
    if (i % 10 === 9) await store.incidents.setStatus(incident.id, 'resolved');
  }
  const service = new IncidentService(store, noRunbooks);

  const whole = await store.openBoard.mostUrgent(230);
  const paged = await service.urgentBoard(230);

  expect(paged.total).toBe(234);
  expect(paged.incidents).toHaveLength(230);
  expect(paged.incidents).toEqual(whole.incidents);
  expect(paged.progress).toEqual(whole.progress);
  expect(paged.timers).toEqual(whole.timers);
  // Asking for more than are open returns every open one, once.
  const all = await service.urgentBoard(500);
  expect(new Set(all.incidents.map((i) => i.id)).size).toBe(234);
  await store.close();
});

it('lets the event loop turn between pages, so other requests are served while the board is read', async () => {
  const store = await tempStore();
  for (let i = 0; i < 250; i++)
    await store.incidents.create({
      title: `Incident ${i}`,
      severity: 'P2',
      declaredBy: 'U1',
      source: 'slash',
    });
  const service = new IncidentService(store, noRunbooks);
  const { value: board, turns } = await turnsDuring(() => service.urgentBoard(250));

  expect(board.incidents).toHaveLength(250);
  // Three pages of 100, 100 and 50: two turns between them (better-sqlite3 alone answers within one turn).
  expect(turns).toBeGreaterThanOrEqual(2);
  await store.close();
});
