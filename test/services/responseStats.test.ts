import { expect, it } from 'vitest';
import { PostmortemService } from '../../src/services/postmortemService.ts';
import { manualClock, tempStore } from '../store/helpers.ts';
import { turnsDuring } from '../support/eventLoopTurns.ts';

it('response times count every incident of the window across pages, drills and older ones left out', async () => {
  const clock = manualClock('2026-10-01T10:00:00.000Z');
  const store = await tempStore(clock.now);
  const base = { declaredBy: 'U1', source: 'slash' } as const;
  await store.incidents.create({ ...base, title: 'before the window', severity: 'P1' });
  clock.set('2026-11-20T10:00:00.000Z');
  await store.incidents.create({ ...base, title: 'drill', severity: 'P1', drill: true });
  const first = await store.incidents.create({ ...base, title: 'first', severity: 'P1' });
  for (let i = 0; i < 1_003; i++) await store.incidents.create({ ...base, title: `p2 ${i}`, severity: 'P2' });
  const last = await store.incidents.create({ ...base, title: 'last', severity: 'P1' });
  clock.advance(60_000);
  await store.incidents.acknowledge(first.id);
  clock.advance(60_000);
  await store.incidents.acknowledge(last.id);
  const service = new PostmortemService(
    store,
    () => {
      throw new Error('response times read no runbook');
    },
    clock.now,
  );

  const { value: stats, turns } = await turnsDuring(() => service.stats(30));

  // Read a page at a time with a turn of the event loop between pages (none without them: SQLite answers at once).
  expect(turns).toBeGreaterThanOrEqual(3);

  expect(stats.map((s) => [s.severity, s.incidents, s.acknowledged])).toEqual([
    ['P0', 0, 0],
    ['P1', 2, 2],
    ['P2', 1_003, 0],
    ['P3', 0, 0],
  ]);
  // Declared at 10:00, acknowledged at 10:01 and 10:02.
  expect(stats[1]?.mttaMs).toBe(90_000);
});
