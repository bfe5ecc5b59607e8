import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import { createLogger } from '../../src/log.ts';
import { finishInterruptedDeclares } from '../../src/usecases/recovery.ts';
import { manualClock, tempStore } from '../store/helpers.ts';

describe('start-up recovery (use case over the async store port)', () => {
  it('queues the opening of hand-declared incidents without a channel, and only those', async () => {
    const store = await tempStore(manualClock().now);
    const base = { severity: 'P1', declaredBy: 'U01' } as const;
    const interrupted = await store.incidents.create({ ...base, title: 'interrupted', source: 'slash' });
    await store.incidents.create({
      ...base,
      title: 'opened',
      source: 'modal',
      channelId: 'C1',
      channelName: 'inc-1',
    });
    await store.incidents.create({ ...base, title: 'paged', source: 'alertmanager' });
    const resolved = await store.incidents.create({ ...base, title: 'resolved', source: 'slash' });
    await store.incidents.setStatus(resolved.id, 'resolved');
    const alreadyQueued = await store.incidents.create({ ...base, title: 'queued before', source: 'modal' });
    const opened: number[] = [];
    const chat = {
      // The workflow queues each opening job once: a second start finds them queued and adds none.
      queueOpen: async (incident: Incident) => {
        opened.push(incident.id);
        return incident.id === alreadyQueued.id ? 0 : 3;
      },
    };

    const queued = await finishInterruptedDeclares({
      store: store,
      chat,
      log: createLogger('silent'),
    });

    expect(opened).toEqual([interrupted.id, alreadyQueued.id]);
    expect(queued).toEqual([interrupted.id]);
  });

  it('reads the incidents to recover page by page, so none is missed past the first page', async () => {
    const store = await tempStore(manualClock().now);
    const base = { severity: 'P2', declaredBy: 'U01', source: 'slash' } as const;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await store.incidents.create({ ...base, title: `interrupted ${i}` })).id);
      await store.incidents.create({
        ...base,
        title: `opened ${i}`,
        channelId: `C${i}`,
        channelName: `inc-${i}`,
      });
    }
    const opened: number[] = [];
    const chat = { queueOpen: async (incident: Incident) => opened.push(incident.id) };

    const queued = await finishInterruptedDeclares({ store, chat, log: createLogger('silent') }, 2);

    expect(opened).toEqual(ids);
    expect(queued).toEqual(ids);
  });
});
