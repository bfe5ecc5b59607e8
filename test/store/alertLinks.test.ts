import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.ts';
import { manualClock, tempDatabase } from './helpers.ts';

const T0 = '2026-11-22T10:00:00.000Z';

function newIncident(store: Store): number {
  return store.incidents.create({ title: 'x', severity: 'P1', declaredBy: 'bot', source: 'alertmanager' }).id;
}

describe('AlertLinkRepository', () => {
  it('keeps one open incident per alert key', () => {
    const clock = manualClock(T0);
    const store = tempDatabase().open(clock.now);
    const first = newIncident(store);
    const second = newIncident(store);
    const key = { source: 'alertmanager', dedupKey: '{}:{alertname="DBPool"}' } as const;

    expect(store.alertLinks.findOpen(key.source, key.dedupKey)).toBeNull();
    const linked = store.alertLinks.link({ ...key, incidentId: first });
    expect(linked).toEqual({
      created: true,
      link: { id: 1, ...key, incidentId: first, openedAt: T0, closedAt: null },
    });
    // A racing second declare for the same key joins the first incident.
    expect(store.alertLinks.link({ ...key, incidentId: second })).toEqual({
      created: false,
      link: linked.link,
    });
    expect(store.alertLinks.findOpen(key.source, key.dedupKey)?.incidentId).toBe(first);
    // The same key from another source is another alert.
    expect(
      store.alertLinks.link({ source: 'generic', dedupKey: key.dedupKey, incidentId: second }).created,
    ).toBe(true);
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO alert_links (source, dedup_key, incident_id, opened_at) VALUES ('alertmanager', ?, ?, 'x')",
        )
        .run(key.dedupKey, second),
    ).toThrow(/UNIQUE constraint failed/);
  });

  it('lets the key open a new incident once the old one is closed', () => {
    const clock = manualClock(T0);
    const store = tempDatabase().open(clock.now);
    const first = newIncident(store);
    const second = newIncident(store);
    store.alertLinks.link({ source: 'pagerduty', dedupKey: 'PD123', incidentId: first });

    clock.advance(3_600_000);
    expect(store.alertLinks.closeForIncident(first)).toBe(1);
    expect(store.alertLinks.closeForIncident(first)).toBe(0);
    expect(store.alertLinks.findOpen('pagerduty', 'PD123')).toBeNull();
    expect(
      store.alertLinks.link({ source: 'pagerduty', dedupKey: 'PD123', incidentId: second }).created,
    ).toBe(true);
    expect(store.alertLinks.listForIncident(first)).toEqual([
      {
        id: 1,
        source: 'pagerduty',
        dedupKey: 'PD123',
        incidentId: first,
        openedAt: T0,
        closedAt: '2026-11-22T11:00:00.000Z',
      },
    ]);
  });

  it('refuses to link to an incident that does not exist', () => {
    const store = tempDatabase().open(manualClock(T0).now);
    expect(() => store.alertLinks.link({ source: 'generic', dedupKey: 'k', incidentId: 42 })).toThrow(
      /FOREIGN KEY constraint failed/,
    );
  });
});
