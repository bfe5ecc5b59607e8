import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storeDatabases } from '../../support/storeDatabases.ts';
import { openWithIncident } from './open.ts';

const databases = storeDatabases();

describe.each(STORE_KINDS)('store port on %s: a declare writes its rows in one statement each', (kind) => {
  const open = () => openWithIncident(databases, kind, 'alertmanager');

  it('appends several timeline entries in order, skipping one whose once key is taken', async () => {
    const { store, incident } = await open();
    const first = await store.timeline.append({
      incidentId: incident.id,
      actor: 'bot',
      kind: 'note',
      text: 'kept',
      onceKey: 'k1',
    });
    await store.timeline.appendMany([
      {
        incidentId: incident.id,
        actor: 'U1',
        kind: 'declared',
        text: 'Declared P1: A',
        data: { severity: 'P1' },
      },
      { incidentId: incident.id, actor: 'bot', kind: 'note', text: 'a repeat', onceKey: 'k1' },
      { incidentId: incident.id, actor: 'bot', kind: 'page', text: 'Opened by alertmanager alert DiskFull' },
    ]);
    await store.timeline.appendMany([]);
    const entries = await store.timeline.list(incident.id);
    expect(entries.map((e) => [e.actor, e.kind, e.text, e.at])).toEqual([
      ['bot', 'note', 'kept', '2026-11-22T10:00:00.000Z'],
      ['U1', 'declared', 'Declared P1: A', '2026-11-22T10:00:00.000Z'],
      ['bot', 'page', 'Opened by alertmanager alert DiskFull', '2026-11-22T10:00:00.000Z'],
    ]);
    expect(entries[0]?.id).toBe(first.id);
    expect(entries[1]?.data).toEqual({ severity: 'P1' });
    expect((entries[1]?.id ?? 0) < (entries[2]?.id ?? 0)).toBe(true);
  });

  it('schedules several timers at once, idempotent per kind and due time as one by one', async () => {
    const { store, incident } = await open();
    const due = new Date('2026-11-22T12:00:00.000Z');
    await store.timers.schedule({ incidentId: incident.id, kind: 'escalate', dueAt: due });
    await store.timers.scheduleMany([
      { incidentId: incident.id, kind: 'escalate', dueAt: due },
      {
        incidentId: incident.id,
        kind: 'status_reminder',
        dueAt: new Date('2026-11-22T10:30:00.000Z'),
        payload: { n: 1 },
      },
    ]);
    await store.timers.scheduleMany([]);
    const timers = await store.timers.listOpen(incident.id);
    expect(timers.map((t) => [t.kind, t.dueAt, t.payload])).toEqual([
      ['status_reminder', '2026-11-22T10:30:00.000Z', { n: 1 }],
      ['escalate', '2026-11-22T12:00:00.000Z', null],
    ]);
  });
});
