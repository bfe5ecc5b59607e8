import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storeDatabases } from '../../support/storeDatabases.ts';
import { openWithIncident } from './open.ts';

const databases = storeDatabases();

describe.each(STORE_KINDS)('store port on %s: timers, inbox, jobs', (kind) => {
  const open = () => openWithIncident(databases, kind, 'slash');

  it('plans each timer once, cancels by kind, and hands a due timer out once', async () => {
    const { clock, store, incident } = await open();
    const dueAt = new Date('2026-11-22T10:30:00.000Z');
    const planned = await store.timers.schedule({
      incidentId: incident.id,
      kind: 'escalation',
      dueAt,
      payload: { to: 'lead' },
    });
    const again = await store.timers.schedule({
      incidentId: incident.id,
      kind: 'escalation',
      dueAt,
      payload: { to: 'x' },
    });
    expect([planned.created, again.created, again.timer.id, again.timer.payload]).toEqual([
      true,
      false,
      planned.timer.id,
      { to: 'lead' },
    ]);
    const update = await store.timers.schedule({
      incidentId: incident.id,
      kind: 'status_update',
      dueAt: new Date('2026-11-22T10:15:00Z'),
    });
    const review = await store.timers.schedule({
      incidentId: null,
      kind: 'runbook_review',
      dueAt: new Date('2026-11-29T09:00:00Z'),
    });
    expect(
      (
        await store.timers.schedule({
          incidentId: null,
          kind: 'runbook_review',
          dueAt: new Date('2026-11-29T09:00:00Z'),
        })
      ).created,
    ).toBe(false);
    expect((await store.timers.listOpen(incident.id)).map((t) => t.kind)).toEqual([
      'status_update',
      'escalation',
    ]);
    expect((await store.timers.listOpenGlobal('runbook_review')).map((t) => t.id)).toEqual([review.timer.id]);
    expect(await store.periodicTimers.pending('runbook_review')).toEqual([
      { id: review.timer.id, dueAt: '2026-11-29T09:00:00.000Z' },
    ]);

    expect(await store.timers.cancel(incident.id, ['status_update'])).toBe(1);
    expect(await store.timers.cancel(incident.id, [])).toBe(0);
    expect((await store.timers.get(update.timer.id))?.cancelledAt).toBe('2026-11-22T10:00:00.000Z');
    // Cancelled plans may be made again (reopen after resolve).
    expect(
      (
        await store.timers.schedule({
          incidentId: incident.id,
          kind: 'status_update',
          dueAt: new Date('2026-11-22T10:15:00Z'),
        })
      ).created,
    ).toBe(true);

    expect(await store.timers.claimDue(new Date('2026-11-22T10:14:59Z'))).toEqual([]);
    clock.set('2026-11-22T10:31:00.000Z');
    const fired = await store.timers.claimDue();
    expect(fired.map((t) => [t.kind, t.firedAt])).toEqual([
      ['status_update', '2026-11-22T10:31:00.000Z'],
      ['escalation', '2026-11-22T10:31:00.000Z'],
    ]);
    expect(await store.timers.claimDue()).toEqual([]);
    expect(await store.periodicTimers.cancel(review.timer.id, clock.now())).toBe(true);
    expect(await store.periodicTimers.cancel(review.timer.id, clock.now())).toBe(false);
    expect(await store.timers.cancel(incident.id)).toBe(0);
  });

  it('stores a delivery once, shares identical bodies, claims with a lease and prunes what is done', async () => {
    const { clock, store, incident } = await open();
    const first = await store.inbox.insert({
      source: 'alertmanager',
      rawBody: '{"a":1}',
      deliveryId: 'd1',
      headers: { 'x-id': 'd1' },
    });
    const redelivery = await store.inbox.insert({
      source: 'alertmanager',
      rawBody: '{"a":1}',
      deliveryId: 'd1',
    });
    const repeat = await store.inbox.insert({ source: 'alertmanager', rawBody: '{"a":1}', dedupKey: 'g1' });
    expect([first.duplicate, redelivery.duplicate, redelivery.id, repeat.duplicate]).toEqual([
      false,
      true,
      first.id,
      false,
    ]);
    const item = await store.inbox.get(first.id);
    expect(item).toMatchObject({
      rawBody: '{"a":1}',
      headers: { 'x-id': 'd1' },
      status: 'pending',
      attempts: 0,
    });
    expect(item?.bodyHash).toHaveLength(64);

    const claimed = await store.inbox.claim(1, 60_000);
    expect(claimed.map((i) => [i.id, i.attempts, i.rawBody, i.nextAttemptAt])).toEqual([
      [first.id, 1, '{"a":1}', '2026-11-22T10:01:00.000Z'],
    ]);
    expect((await store.inbox.claim(10)).map((i) => i.id)).toEqual([repeat.id]);
    expect(await store.inbox.claim(10)).toEqual([]);
    await store.inbox.markFailed(repeat.id, 'Slack 500', new Date('2026-11-22T10:00:05Z'));
    expect((await store.inbox.list({ status: 'failed' })).map((i) => [i.id, i.lastError])).toEqual([
      [repeat.id, 'Slack 500'],
    ]);
    clock.advance(5000);
    expect((await store.inbox.claim(10)).map((i) => [i.id, i.attempts])).toEqual([[repeat.id, 2]]);
    await store.inbox.markDone(repeat.id, incident.id);
    await store.inbox.markFailed(first.id, 'bad schema', null);
    clock.advance(3_600_000);
    expect(await store.inbox.claim(10)).toEqual([]);
    expect((await store.inbox.list()).map((i) => i.status)).toEqual(['done', 'failed']);

    const cutoff = clock.now();
    // The failed delivery still holds the shared body: only the processed row goes.
    expect(await store.inbox.prune(cutoff, cutoff)).toEqual({ bodies: 0, rows: 1 });
    await store.inbox.markDone(first.id);
    clock.advance(1000);
    expect(await store.inbox.prune(clock.now(), clock.now())).toEqual({ bodies: 1, rows: 1 });
  });

  it('queues each job once, runs lanes in order, retries, fails, wakes and prunes', async () => {
    const { clock, store, incident } = await open();
    const added = await store.jobs.enqueue([
      { incidentId: incident.id, kind: 'channel', key: 'k-channel' },
      { incidentId: incident.id, kind: 'invite', key: 'k-invite', lane: 'invites' },
      { incidentId: incident.id, kind: 'header', key: 'k-header', payload: { ts: '1' } },
    ]);
    expect(added).toBe(3);
    expect(await store.jobs.enqueue([{ incidentId: incident.id, kind: 'channel', key: 'k-channel' }])).toBe(
      0,
    );
    const lease = { owner: 'r1', leaseMs: 30_000, limit: 10 };
    const [channel] = await store.jobs.claim(lease);
    expect([channel?.key, channel?.attempts, channel?.claimedBy, channel?.leaseUntil]).toEqual([
      'k-channel',
      1,
      'r1',
      '2026-11-22T10:00:30.000Z',
    ]);
    expect(await store.jobs.claim(lease)).toEqual([]);
    if (!channel) throw new Error('channel job expected');
    await store.jobs.complete(channel.id, 'someone-else');
    expect(await store.jobs.claim(lease)).toEqual([]);
    await store.jobs.complete(channel.id, 'r1');
    // Both wait for the main lane's channel only: the invite is not held up by the header, nor it by the invite.
    const next = await store.jobs.claim(lease);
    expect(next.map((j) => [j.key, j.payload])).toEqual([
      ['k-invite', {}],
      ['k-header', { ts: '1' }],
    ]);
    const [invite, header] = next;
    if (!header || !invite) throw new Error('two jobs expected');
    await store.jobs.retry(header.id, 'r1', 'ratelimited', new Date('2026-11-22T10:05:00Z'));
    await store.jobs.fail(invite.id, 'r1', 'user_not_found');
    expect(await store.jobs.counts()).toEqual({ queued: 1, retrying: 1, failed: 1 });
    expect(await store.jobs.claim(lease)).toEqual([]);
    expect(await store.jobs.wakeRetrying()).toBe(1);
    expect(
      (await store.jobs.claim({ ...lease, incidentId: incident.id })).map((j) => [j.key, j.attempts]),
    ).toEqual([['k-header', 2]]);
    expect(await store.jobs.releaseOthers('r2')).toBe(1);
    // Its lease was released: the old claimant can no longer finish it.
    await store.jobs.complete(header.id, 'r1');
    expect((await store.jobs.forIncident(incident.id)).map((j) => [j.key, j.status])).toEqual([
      ['k-channel', 'done'],
      ['k-invite', 'failed'],
      ['k-header', 'queued'],
    ]);
    clock.advance(86_400_000);
    expect(await store.jobs.prune(clock.now())).toBe(2);
    const twice = { incidentId: incident.id, kind: 'note', key: 'twice' };
    expect(await store.jobs.enqueue([twice, twice])).toBe(1);
    expect(await store.jobs.enqueue([])).toBe(0);
  });
});
