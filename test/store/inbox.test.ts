import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { manualClock, tempDatabase } from './helpers.ts';

const T0 = '2026-11-22T10:00:00.000Z';
const body = JSON.stringify({ status: 'firing', groupKey: '{}:{alertname="DBPool"}' });

describe('InboxRepository', () => {
  it('stores a redelivery once and says it is a duplicate', () => {
    const tmp = tempDatabase();
    const store = tmp.open(manualClock(T0).now);
    const first = store.inbox.insert({
      source: 'alertmanager',
      deliveryId: 'd-1',
      dedupKey: 'DBPool',
      rawBody: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(first).toEqual({ id: 1, duplicate: false });
    expect(store.inbox.insert({ source: 'alertmanager', deliveryId: 'd-1', rawBody: 'retry' })).toEqual({
      id: 1,
      duplicate: true,
    });
    // The same delivery id from another source is another delivery.
    expect(store.inbox.insert({ source: 'generic', deliveryId: 'd-1', rawBody: body }).duplicate).toBe(false);
    // Without a delivery id nothing can be recognised as a redelivery.
    expect(store.inbox.insert({ source: 'generic', rawBody: body }).duplicate).toBe(false);
    expect(store.inbox.insert({ source: 'generic', rawBody: body }).duplicate).toBe(false);
    store.close();

    const reopened = tmp.open(manualClock(T0).now);
    expect(reopened.inbox.insert({ source: 'alertmanager', deliveryId: 'd-1', rawBody: body })).toEqual({
      id: 1,
      duplicate: true,
    });
    expect(reopened.inbox.get(1)).toEqual({
      id: 1,
      source: 'alertmanager',
      deliveryId: 'd-1',
      dedupKey: 'DBPool',
      receivedAt: T0,
      rawBody: body,
      headers: { 'content-type': 'application/json' },
      status: 'pending',
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
      processedAt: null,
      incidentId: null,
      bodyHash: createHash('sha256').update(body).digest('hex'),
    });
    expect(reopened.inbox.list()).toHaveLength(4);
    // Four deliveries of the same body store it once; the refused redelivery ("retry") stored nothing.
    expect(reopened.db.prepare('SELECT count(*) FROM inbox_bodies').pluck().get()).toBe(1);
  });

  it('claims ready items under a lease, retries failures when due, and stops at done or given up', () => {
    const clock = manualClock(T0);
    const store = tempDatabase().open(clock.now);
    const incident = store.incidents.create({
      title: 'x',
      severity: 'P1',
      declaredBy: 'bot',
      source: 'alertmanager',
    });
    const a = store.inbox.insert({ source: 'alertmanager', deliveryId: 'a', rawBody: body }).id;
    const b = store.inbox.insert({ source: 'alertmanager', deliveryId: 'b', rawBody: body }).id;
    const c = store.inbox.insert({ source: 'alertmanager', deliveryId: 'c', rawBody: body }).id;

    const claimed = store.inbox.claim(10, 60_000);
    expect(claimed.map((item) => [item.id, item.attempts, item.nextAttemptAt])).toEqual([
      [a, 1, '2026-11-22T10:01:00.000Z'],
      [b, 1, '2026-11-22T10:01:00.000Z'],
      [c, 1, '2026-11-22T10:01:00.000Z'],
    ]);
    // Leased: a second worker gets nothing.
    expect(store.inbox.claim()).toEqual([]);

    store.inbox.markDone(a, incident.id);
    store.inbox.markFailed(b, 'Slack 503: retrying', new Date('2026-11-22T10:00:30.000Z'));
    store.inbox.markFailed(c, 'unparseable body: fix the sender', null);
    expect(store.inbox.get(a)).toMatchObject({ status: 'done', processedAt: T0, incidentId: incident.id });
    expect(store.inbox.get(b)).toMatchObject({ status: 'failed', lastError: 'Slack 503: retrying' });

    clock.set('2026-11-22T10:00:29.000Z');
    expect(store.inbox.claim()).toEqual([]);
    clock.set('2026-11-22T10:00:30.000Z');
    expect(store.inbox.claim().map((item) => [item.id, item.attempts, item.status])).toEqual([
      [b, 2, 'pending'],
    ]);

    // A worker that died mid-item: the lease runs out and the item is claimable again.
    clock.set('2026-11-22T10:01:31.000Z');
    expect(store.inbox.claim().map((item) => [item.id, item.attempts])).toEqual([[b, 3]]);

    store.inbox.markDone(b, incident.id);
    clock.set('2026-11-23T10:00:00.000Z');
    expect(store.inbox.claim()).toEqual([]);
    expect(store.inbox.list({ status: 'failed' }).map((item) => item.id)).toEqual([c]);
    expect(store.inbox.list({ limit: 1 }).map((item) => item.id)).toEqual([c]);
  });
});

describe('inbox bodies (issue 14)', () => {
  it('stores identical bodies once, and prunes a body once all its deliveries are processed and old', () => {
    const db = tempDatabase();
    const clock = manualClock('2026-11-01T00:00:00.000Z');
    const store = db.open(clock.now);
    const body = JSON.stringify({ big: 'x'.repeat(10_000) });
    const first = store.inbox.insert({ source: 'alertmanager', rawBody: body });
    const second = store.inbox.insert({ source: 'alertmanager', rawBody: body });
    const other = store.inbox.insert({ source: 'alertmanager', rawBody: '{"other":1}' });
    expect(store.db.prepare('SELECT count(*) FROM inbox_bodies').pluck().get()).toBe(2);
    expect(store.inbox.get(second.id)?.rawBody).toBe(body);
    store.inbox.markDone(first.id);
    store.inbox.markDone(other.id);
    clock.advance(8 * 86_400_000);
    // The second delivery is not processed yet: the shared body stays; the other one goes.
    expect(store.inbox.prune(new Date(clock.now().getTime() - 7 * 86_400_000), new Date(0))).toEqual({
      bodies: 1,
      rows: 0,
    });
    expect(store.inbox.get(second.id)?.rawBody).toBe(body);
    expect(store.inbox.get(other.id)?.rawBody).toBe('');
    store.inbox.markDone(second.id);
    clock.advance(8 * 86_400_000);
    expect(store.inbox.prune(new Date(clock.now().getTime() - 7 * 86_400_000), clock.now())).toEqual({
      bodies: 1,
      rows: 3,
    });
    expect(store.db.prepare('SELECT count(*) FROM inbox_bodies').pluck().get()).toBe(0);
  });
});
