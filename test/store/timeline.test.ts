import { describe, expect, it } from 'vitest';
import { manualClock, tempDatabase } from './helpers.ts';

describe('TimelineRepository', () => {
  it('appends entries and lists them by time, ties in append order', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const store = tempDatabase().open(clock.now);
    const { id } = store.incidents.create({ title: 'x', severity: 'P2', declaredBy: 'U01', source: 'modal' });

    const declared = store.timeline.append({
      incidentId: id,
      actor: 'U01',
      kind: 'declared',
      text: 'Declared P2',
    });
    expect(declared).toEqual({
      id: 1,
      incidentId: id,
      at: '2026-11-22T10:00:00.000Z',
      actor: 'U01',
      kind: 'declared',
      text: 'Declared P2',
      data: null,
    });
    clock.advance(60_000);
    store.timeline.append({
      incidentId: id,
      actor: 'U02',
      kind: 'check',
      text: 'Pool below 90%',
      data: { stepId: 3, position: 0 },
    });
    store.timeline.append({
      incidentId: id,
      actor: 'bot',
      kind: 'escalation',
      text: 'Escalated to the lead',
    });
    // Something that happened before the incident was declared, such as the alert's start.
    store.timeline.append({
      incidentId: id,
      actor: 'system',
      kind: 'note',
      text: 'Alert started firing',
      at: new Date('2026-11-22T09:55:00.000Z'),
    });

    const entries = store.timeline.list(id);
    expect(entries.map((e) => [e.at, e.kind])).toEqual([
      ['2026-11-22T09:55:00.000Z', 'note'],
      ['2026-11-22T10:00:00.000Z', 'declared'],
      ['2026-11-22T10:01:00.000Z', 'check'],
      ['2026-11-22T10:01:00.000Z', 'escalation'],
    ]);
    expect(entries[2]?.data).toEqual({ stepId: 3, position: 0 });
    expect(store.timeline.list(id + 1)).toEqual([]);
  });
});

describe('TimelineRepository.last', () => {
  it('returns the entry list() puts last among those of the kind, or null', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const store = tempDatabase().open(clock.now);
    const { id } = store.incidents.create({ title: 'x', severity: 'P2', declaredBy: 'U01', source: 'modal' });
    const other = store.incidents.create({ title: 'y', severity: 'P2', declaredBy: 'U01', source: 'modal' });
    store.timeline.append({ incidentId: id, actor: 'bot', kind: 'escalation', text: 'first' });
    const second = store.timeline.append({
      incidentId: id,
      actor: 'bot',
      kind: 'escalation',
      text: 'second',
    });
    // Recorded later but dated earlier: list() puts it first, so it is not the last.
    store.timeline.append({
      incidentId: id,
      actor: 'bot',
      kind: 'escalation',
      text: 'backdated',
      at: new Date('2026-11-22T09:00:00.000Z'),
    });
    store.timeline.append({ incidentId: id, actor: 'U02', kind: 'note', text: 'after' });
    store.timeline.append({ incidentId: other.id, actor: 'bot', kind: 'escalation', text: 'other incident' });

    expect(store.timeline.last(id, 'escalation')).toEqual(second);
    expect(store.timeline.last(id, 'escalation')).toEqual(
      store.timeline
        .list(id)
        .filter((e) => e.kind === 'escalation')
        .at(-1),
    );
    expect(store.timeline.last(id, 'escalation_ack')).toBeNull();
    expect(store.timeline.last(other.id, 'escalation')?.text).toBe('other incident');
  });
});
