import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/domain/records.ts';
import { createLogger } from '../../src/log.ts';
import { backoffMs, JobRunner } from '../../src/scheduler/jobRunner.ts';
import { storeWithIncident } from '../store/helpers.ts';

class Flaky extends Error {}

async function setup() {
  const { clock, store, incident } = await storeWithIncident('2026-12-01T03:00:00.000Z');
  const ran: string[] = [];
  const failing = new Map<string, Error>();
  const handler = async (job: Job) => {
    const error = failing.get(job.key);
    if (error) throw error;
    ran.push(job.key);
  };
  const runner = new JobRunner({
    queue: store.jobs,
    handlers: { step: handler },
    owner: 'me',
    log: createLogger('silent'),
    now: clock.now,
    backoffMaxMs: 8_000,
    giveUpAfterMs: 60_000,
    isRetryable: (e) => e instanceof Flaky,
  });
  const job = (key: string, lane = 'main') => ({ incidentId: incident.id, kind: 'step', key, lane });
  return { clock, store, incidentId: incident.id, ran, failing, runner, job };
}

describe('JobRunner', () => {
  it('runs an incident in order: the main lane first, other lanes side by side after it', async () => {
    const { store, incidentId, ran, failing, runner, job } = await setup();
    await store.jobs.enqueue([
      job('channel'),
      job('header'),
      job('pin', 'pin'),
      job('invite', 'invite'),
      job('reply', 'reply'),
    ]);
    // Enqueuing again is a no-op: each side effect is queued once.
    expect(await store.jobs.enqueue([job('channel'), job('header')])).toBe(0);
    failing.set('pin', new Flaky('pins.add 500'));
    await runner.runIncident(incidentId);
    // The pin waits out its backoff; the invite and the reply did not wait for it.
    expect(ran).toEqual(['channel', 'header', 'invite', 'reply']);
    const pin = (await store.jobs.forIncident(incidentId)).find((j) => j.key === 'pin');
    expect(pin).toMatchObject({ status: 'queued', attempts: 1, lastError: 'pins.add 500', claimedBy: null });
    expect(await store.jobs.counts()).toEqual({ queued: 1, retrying: 1, failed: 0 });
  });

  it('blocks later jobs while the main lane fails, and runs them once it succeeds', async () => {
    const { clock, store, incidentId, ran, failing, runner, job } = await setup();
    await store.jobs.enqueue([job('channel'), job('header'), job('invite', 'invite')]);
    failing.set('channel', new Flaky('HTTP 500'));
    await runner.runIncident(incidentId);
    expect(ran).toEqual([]);
    clock.advance(backoffMs(1, 8_000) - 1);
    await runner.runIncident(incidentId);
    expect(ran).toEqual([]);
    failing.clear();
    clock.advance(1);
    await runner.runIncident(incidentId);
    expect(ran).toEqual(['channel', 'header', 'invite']);
    expect((await store.jobs.forIncident(incidentId)).map((j) => [j.key, j.status, j.attempts])).toEqual([
      ['channel', 'done', 2],
      ['header', 'done', 1],
      ['invite', 'done', 1],
    ]);
  });

  it('backs off 1 s doubling up to the cap; fails for good on a refusal or after giving up', async () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, 8_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
    const { clock, store, incidentId, failing, runner, job } = await setup();
    await store.jobs.enqueue([job('refused', 'a'), job('flaky', 'b')]);
    failing.set('refused', new Error('channel_not_found'));
    failing.set('flaky', new Flaky('HTTP 503'));
    await runner.runIncident(incidentId);
    clock.advance(61_000);
    expect(await store.jobs.wakeRetrying()).toBe(0);
    await runner.runIncident(incidentId);
    expect((await store.jobs.forIncident(incidentId)).map((j) => [j.key, j.status, j.lastError])).toEqual([
      ['refused', 'failed', 'channel_not_found'],
      ['flaky', 'failed', 'HTTP 503'],
    ]);
  });

  it('leaves a job claimed by another process alone until its lease runs out, or the writer frees it', async () => {
    const { clock, store, job } = await setup();
    await store.jobs.enqueue([job('channel')]);
    expect(await store.jobs.claim({ owner: 'dead', leaseMs: 120_000, limit: 10 })).toHaveLength(1);
    expect(await store.jobs.claim({ owner: 'me', leaseMs: 120_000, limit: 10 })).toHaveLength(0);
    expect(await store.jobs.releaseOthers('me')).toBe(1);
    expect(
      (await store.jobs.claim({ owner: 'me', leaseMs: 120_000, limit: 10 })).map((j) => j.claimedBy),
    ).toEqual(['me']);
    clock.advance(120_000);
    // The lease ran out: anyone may take it again (the multi-replica path of issue 16).
    expect(await store.jobs.claim({ owner: 'other', leaseMs: 120_000, limit: 10 })).toHaveLength(1);
  });

  it('prunes finished jobs older than the retention, never queued ones', async () => {
    const { clock, store, incidentId, failing, runner, job } = await setup();
    await store.jobs.enqueue([job('done', 'a'), job('waiting', 'b')]);
    failing.set('waiting', new Flaky('HTTP 500'));
    await runner.runIncident(incidentId);
    clock.advance(8 * 86_400_000);
    expect(await store.jobs.prune(new Date(clock.now().getTime() - 7 * 86_400_000))).toBe(1);
    expect((await store.jobs.forIncident(incidentId)).map((j) => j.key)).toEqual(['waiting']);
  });
});
