import { describe, expect, it } from 'vitest';
import type { NewIncident } from '../../src/store/index.ts';
import { manualClock, tempDatabase } from './helpers.ts';

const page: NewIncident = { title: 'DB pool exhausted', severity: 'P1', declaredBy: 'U01', source: 'slash' };

describe('IncidentRepository', () => {
  it('creates an incident with defaults and reads it back in camelCase', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const { incidents } = tempDatabase().open(clock.now);
    const created = incidents.create(page);
    expect(created).toEqual({
      id: 1,
      title: 'DB pool exhausted',
      description: '',
      severity: 'P1',
      status: 'declared',
      private: false,
      drill: false,
      runbookId: null,
      commanderId: null,
      declaredBy: 'U01',
      source: 'slash',
      channelId: null,
      channelName: null,
      inFallback: false,
      headerTs: null,
      declaredAt: '2026-11-22T10:00:00.000Z',
      impactStartedAt: null,
      detectedAt: null,
      acknowledgedAt: null,
      mitigatedAt: null,
      resolvedAt: null,
      closedAt: null,
      updatedAt: '2026-11-22T10:00:00.000Z',
      daySeq: 1,
    });
    expect(incidents.get(1)).toEqual(created);
    expect(incidents.get(2)).toBeNull();
  });

  it('numbers incidents 1, 2, 3 within a UTC day and starts again the next day', () => {
    const clock = manualClock('2026-11-22T00:00:00.000Z');
    const tmp = tempDatabase();
    const store = tmp.open(clock.now);
    expect(store.incidents.create(page).daySeq).toBe(1);
    clock.set('2026-11-22T12:00:00.000Z');
    expect(store.incidents.create(page).daySeq).toBe(2);
    clock.set('2026-11-22T23:59:59.999Z');
    expect(store.incidents.create(page).daySeq).toBe(3);
    clock.set('2026-11-23T00:00:00.000Z');
    expect(store.incidents.create(page).daySeq).toBe(1);
    store.close();

    // The sequence lives in the data, not in memory: a restart continues it.
    const reopened = tmp.open(clock.now);
    expect(reopened.incidents.create(page).daySeq).toBe(2);
  });

  it('gives two connections on one file distinct day numbers', () => {
    const clock = manualClock();
    const tmp = tempDatabase();
    const a = tmp.open(clock.now);
    const b = tmp.open(clock.now);
    const seqs = [a, b, a, b].map((store) => store.incidents.create(page).daySeq);
    expect(seqs).toEqual([1, 2, 3, 4]);
  });

  it('finds an incident by its dedicated channel, not by a shared fallback channel', () => {
    const { incidents } = tempDatabase().open(manualClock().now);
    const own = incidents.create({ ...page, channelId: 'C100', channelName: 'inc-20261122-1-db' });
    incidents.create({ ...page, channelId: 'CANNOUNCE' });
    const fallbackA = incidents.create(page);
    const fallbackB = incidents.create(page);
    incidents.update(fallbackA.id, { channelId: 'CANNOUNCE2', inFallback: true });
    // Two fallback incidents may share the announce channel.
    expect(incidents.update(fallbackB.id, { channelId: 'CANNOUNCE2', inFallback: true })?.inFallback).toBe(
      true,
    );

    expect(incidents.getByChannel('C100')?.id).toBe(own.id);
    expect(incidents.getByChannel('CANNOUNCE2')).toBeNull();
    expect(incidents.getByChannel('C999')).toBeNull();
    expect(() => incidents.create({ ...page, channelId: 'C100' })).toThrow(/UNIQUE constraint failed/);
  });

  it('updates only the given fields, with null clearing one', () => {
    const clock = manualClock();
    const { incidents } = tempDatabase().open(clock.now);
    const created = incidents.create({ ...page, commanderId: 'U02', description: 'pool at 100%' });
    clock.advance(60_000);
    const updated = incidents.update(created.id, { severity: 'P0', commanderId: null, headerTs: '1700.01' });
    expect(updated).toEqual({
      ...created,
      severity: 'P0',
      commanderId: null,
      headerTs: '1700.01',
      updatedAt: '2026-11-22T10:01:00.000Z',
    });
    expect(incidents.update(999, { title: 'x' })).toBeNull();
  });

  it('stamps resolved and closed times on the way out and clears them on reopen', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const { incidents } = tempDatabase().open(clock.now);
    const { id } = incidents.create(page);

    clock.set('2026-11-22T11:00:00.000Z');
    expect(incidents.setStatus(id, 'resolved')).toMatchObject({
      status: 'resolved',
      resolvedAt: '2026-11-22T11:00:00.000Z',
      closedAt: null,
    });
    clock.set('2026-11-24T11:00:00.000Z');
    expect(incidents.setStatus(id, 'closed')).toMatchObject({
      status: 'closed',
      resolvedAt: '2026-11-22T11:00:00.000Z',
      closedAt: '2026-11-24T11:00:00.000Z',
    });
    expect(incidents.setStatus(id, 'investigating')).toMatchObject({
      status: 'investigating',
      resolvedAt: null,
      closedAt: null,
    });
  });

  it('moves status only from the expected one when `from` is given', () => {
    const { incidents } = tempDatabase().open(manualClock().now);
    const { id } = incidents.create(page);
    expect(incidents.setStatus(id, 'investigating', 'declared')?.status).toBe('investigating');
    // A second click made from the same stale view changes nothing.
    expect(incidents.setStatus(id, 'investigating', 'declared')).toBeNull();
    expect(incidents.get(id)?.status).toBe('investigating');
  });

  it('lists open incidents oldest first, leaving out resolved and closed ones', () => {
    const clock = manualClock();
    const { incidents } = tempDatabase().open(clock.now);
    const a = incidents.create({ ...page, title: 'a' });
    clock.advance(1000);
    const b = incidents.create({ ...page, title: 'b' });
    clock.advance(1000);
    const c = incidents.create({ ...page, title: 'c' });
    incidents.setStatus(b.id, 'resolved');
    incidents.setStatus(c.id, 'monitoring');
    expect(incidents.listOpen().map((i) => i.title)).toEqual(['a', 'c']);
    incidents.setStatus(a.id, 'closed');
    expect(incidents.listOpen().map((i) => i.title)).toEqual(['c']);
  });

  it('records only the first acknowledgement', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const { incidents } = tempDatabase().open(clock.now);
    const { id } = incidents.create(page);
    clock.advance(5 * 60_000);
    expect(incidents.acknowledge(id)).toBe(true);
    clock.advance(60_000);
    expect(incidents.acknowledge(id)).toBe(false);
    expect(incidents.get(id)?.acknowledgedAt).toBe('2026-11-22T10:05:00.000Z');
  });

  it('rejects a severity the policy does not know', () => {
    const { incidents } = tempDatabase().open(manualClock().now);
    // @ts-expect-error: the type already forbids it; the CHECK constraint guards untyped callers.
    expect(() => incidents.create({ ...page, severity: 'P9' })).toThrow(/CHECK constraint failed/);
  });
});
