import { describe, expect, it } from 'vitest';
import { asyncStore } from '../../src/store/asyncStore.ts';
import { manualClock, tempDatabase } from './helpers.ts';

const declare = { title: 'DB down', severity: 'P1', declaredBy: 'U01', source: 'slash' } as const;

describe('asyncStore (the SQLite store behind the async store port)', () => {
  it('answers with what the synchronous repositories answer', async () => {
    const store = tempDatabase().open(manualClock().now);
    const port = asyncStore(store);
    const incident = await port.incidents.create(declare);
    expect(incident).toMatchObject({
      id: 1,
      title: 'DB down',
      private: false,
      drill: false,
      status: 'declared',
    });
    expect(await port.incidents.get(incident.id)).toEqual(store.incidents.get(incident.id));
    const steps = await port.checklist.insertSteps([
      { incidentId: 1, position: 0, section: 'step', title: 'Check the pool', checks: ['pool < 90%'] },
    ]);
    expect(steps[0]?.checks.map((check) => [check.text, check.checked])).toEqual([['pool < 90%', false]]);
    expect(await port.runbookHistory.skippedSince(new Date(0))).toEqual([]);
  });

  it('keeps another caller out of an open transaction until it commits', async () => {
    const store = tempDatabase().open(manualClock().now);
    const port = asyncStore(store);
    const { id } = await port.incidents.create(declare);
    const order: string[] = [];
    let release: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = port.transaction(async (tx) => {
      await tx.timeline.append({ incidentId: id, actor: 'U01', kind: 'note', text: 'inside 1' });
      await paused;
      await tx.timeline.append({ incidentId: id, actor: 'U01', kind: 'note', text: 'inside 2' });
      order.push('committed');
    });
    const outside = port.timeline
      .append({ incidentId: id, actor: 'U02', kind: 'note', text: 'outside' })
      .then(() => order.push('outside'));
    await Promise.resolve();
    release();
    await Promise.all([transaction, outside]);
    expect(order).toEqual(['committed', 'outside']);
    expect((await port.timeline.list(id)).map((entry) => entry.text)).toEqual([
      'inside 1',
      'inside 2',
      'outside',
    ]);
  });

  it('rolls back everything the transaction wrote when it throws, and keeps what waited outside', async () => {
    const store = tempDatabase().open(manualClock().now);
    const port = asyncStore(store);
    const { id } = await port.incidents.create(declare);
    const failing = port.transaction(async (tx) => {
      await tx.incidents.update(id, { title: 'renamed' });
      await tx.timeline.append({ incidentId: id, actor: 'U01', kind: 'note', text: 'lost' });
      throw new Error('Slack said no');
    });
    const outside = port.timeline.append({ incidentId: id, actor: 'U02', kind: 'note', text: 'kept' });
    await expect(failing).rejects.toThrow('Slack said no');
    await outside;
    expect((await port.incidents.get(id))?.title).toBe('DB down');
    expect((await port.timeline.list(id)).map((entry) => entry.text)).toEqual(['kept']);
    expect(store.db.inTransaction).toBe(false);
  });
});
