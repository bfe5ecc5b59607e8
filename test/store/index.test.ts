import { describe, expect, it } from 'vitest';
import { manualClock, tempDatabase } from './helpers.ts';

describe('createStore', () => {
  it('commits work across repositories together or not at all', () => {
    const store = tempDatabase().open(manualClock().now);
    expect(() =>
      store.transaction(() => {
        const incident = store.incidents.create({
          title: 'x',
          severity: 'P1',
          declaredBy: 'bot',
          source: 'generic',
        });
        store.alertLinks.link({ source: 'generic', dedupKey: 'k', incidentId: incident.id });
        store.timeline.append({ incidentId: incident.id, actor: 'bot', kind: 'declared', text: 'Declared' });
        throw new Error('Slack is down');
      }),
    ).toThrow('Slack is down');
    expect(store.incidents.listOpen()).toEqual([]);
    expect(store.alertLinks.findOpen('generic', 'k')).toBeNull();

    // Nested transactions (repositories use their own) become savepoints of the outer one.
    const id = store.transaction(() => {
      const incident = store.incidents.create({
        title: 'y',
        severity: 'P1',
        declaredBy: 'bot',
        source: 'generic',
      });
      store.timers.claimDue();
      return incident.id;
    });
    expect(store.incidents.get(id)?.title).toBe('y');
  });

  it('closes idempotently', () => {
    const store = tempDatabase().open();
    store.close();
    store.close();
    expect(store.db.open).toBe(false);
  });
});
