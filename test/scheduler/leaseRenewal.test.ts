import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/domain/records.ts';
import { InboxWorker } from '../../src/intake/worker.ts';
import { createLogger } from '../../src/log.ts';
import { type JobQueue, JobRunner } from '../../src/scheduler/jobRunner.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { manualClock } from '../store/helpers.ts';
import { STORE_KINDS, type StoreKind, storeDatabases, twoReplicas } from '../support/storeDatabases.ts';

const databases = storeDatabases();
const LEASE_MS = 60_000;
const log = createLogger('silent');

/** Replica A runs the work; B is another replica (on PostgreSQL its own pool) that claims behind its back. */
async function replicas(kind: StoreKind) {
  const clock = manualClock('2026-12-01T03:00:00.000Z');
  return { clock, ...(await twoReplicas(databases, kind, clock)) };
}

/** A handler that holds its work until the test lets it go: the work outlives its lease. */
function slowWork() {
  let started!: () => void;
  let finish!: () => void;
  const hasStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const hold = async () => {
    started();
    await finished;
  };
  return { started, hasStarted, finished, finish, hold };
}

function jobRunner(queue: JobQueue, now: () => Date, handler: (job: Job) => Promise<void>) {
  return new JobRunner({
    queue,
    handlers: { post: handler },
    owner: 'replica-a',
    leaseMs: LEASE_MS,
    log,
    now,
    isRetryable: () => true,
  });
}

describe.each(STORE_KINDS)('leases of running work on %s', (kind) => {
  it('never runs a job twice in one process while its first run goes on, even past its lease', async () => {
    const { clock, a, incidentId } = await replicas(kind);
    const runs: string[] = [];
    const slow = slowWork();
    const runner = jobRunner(a.jobs, clock.now, async (job) => {
      runs.push(job.key);
      if (job.key !== 'slow' || runs.indexOf('slow') !== runs.length - 1) return;
      slow.started();
      await slow.finished;
    });
    await a.jobs.enqueue([
      { incidentId, kind: 'post', key: 'slow', lane: 'slow' },
      { incidentId, kind: 'post', key: 'quick', lane: 'quick' },
    ]);
    runner.kick();
    await slow.hasStarted;
    clock.advance(LEASE_MS + 1);
    // The declare path runs its incident's jobs at once: the slow one is still in this process's hands.
    await runner.runIncident(incidentId);
    runner.kick();
    slow.finish();
    await runner.idle();
    expect(runs).toEqual(['slow', 'quick']);
    expect((await a.jobs.forIncident(incidentId)).map((j) => [j.key, j.status, j.attempts])).toEqual([
      ['slow', 'done', 1],
      ['quick', 'done', 1],
    ]);
  });

  it("renews a running job's lease, so another replica cannot take it while its owner lives", async () => {
    const { clock, a, b, incidentId } = await replicas(kind);
    const slow = slowWork();
    let runs = 0;
    const runner = jobRunner(a.jobs, clock.now, async () => {
      runs += 1;
      slow.started();
      await slow.finished;
    });
    await a.jobs.enqueue([{ incidentId, kind: 'post', key: 'brief' }]);
    runner.kick();
    await slow.hasStarted;
    clock.advance(LEASE_MS / 2);
    await runner.renewLeases();
    clock.advance(LEASE_MS / 2 + 1);
    expect(await b.jobs.claim({ owner: 'replica-b', leaseMs: LEASE_MS, limit: 10 })).toEqual([]);
    expect((await b.jobs.forIncident(incidentId)).map((j) => [j.claimedBy, j.leaseUntil])).toEqual([
      ['replica-a', '2026-12-01T03:01:30.000Z'],
    ]);
    slow.finish();
    await runner.stop();
    expect(runs).toBe(1);
    expect((await a.jobs.forIncident(incidentId)).map((j) => [j.status, j.claimedBy])).toEqual([
      ['done', null],
    ]);
  });

  it('lets another replica take a job over once its owner stops renewing, and the old owner then keeps off it', async () => {
    const { clock, a, b, incidentId } = await replicas(kind);
    const slow = slowWork();
    const runner = jobRunner(a.jobs, clock.now, async () => {
      slow.started();
      await slow.finished;
      throw new Error('HTTP 503');
    });
    await a.jobs.enqueue([{ incidentId, kind: 'post', key: 'brief' }]);
    runner.kick();
    await slow.hasStarted;
    // Replica A hangs here (a paused VM): it renews nothing, and its lease runs out.
    clock.advance(LEASE_MS - 1);
    expect(await b.jobs.claim({ owner: 'replica-b', leaseMs: LEASE_MS, limit: 10 })).toEqual([]);
    clock.advance(1);
    const [takenOver] = await b.jobs.claim({ owner: 'replica-b', leaseMs: LEASE_MS, limit: 10 });
    expect([takenOver?.key, takenOver?.claimedBy, takenOver?.attempts]).toEqual(['brief', 'replica-b', 2]);
    // A wakes up: its renewal finds the job no longer its own, so A's failure reschedules nothing.
    await runner.renewLeases();
    slow.finish();
    await runner.stop();
    expect((await a.jobs.forIncident(incidentId)).map((j) => [j.status, j.claimedBy, j.lastError])).toEqual([
      ['queued', 'replica-b', null],
    ]);
    await b.jobs.complete(takenOver?.id ?? 0, 'replica-b');
    expect((await b.jobs.forIncident(incidentId)).map((j) => j.status)).toEqual(['done']);
  });

  it("renews a firing timer's lease; a dead owner's timer is taken over and fired once", async () => {
    const { clock, a, b, incidentId } = await replicas(kind);
    const slow = slowWork();
    const fired: number[] = [];
    const scheduler = new Scheduler({
      store: a,
      owner: 'replica-a',
      leaseMs: LEASE_MS,
      handlers: {
        escalation: async (timer) => {
          fired.push(timer.id);
          slow.started();
          await slow.finished;
        },
      },
      log,
      now: clock.now,
      tickSeconds: 3600,
      isRetryable: () => false,
    });
    const plan = async (dueAt: string) =>
      (await a.timers.schedule({ incidentId, kind: 'escalation', dueAt: new Date(dueAt) })).timer.id;
    const timer = await plan('2026-12-01T02:59:00.000Z');
    const ticking = scheduler.tick();
    await slow.hasStarted;
    clock.advance(LEASE_MS / 2);
    await scheduler.renewLeases();
    clock.advance(LEASE_MS / 2 + 1);
    expect(await b.timers.claimDueLeased('replica-b', LEASE_MS)).toEqual([]);
    const again = scheduler.tick();
    slow.finish();
    expect([await ticking, await again]).toEqual([1, 0]);
    expect(fired).toEqual([timer]);
    expect((await a.timers.get(timer))?.firedAt).toBe('2026-12-01T03:01:00.001Z');

    // The owner dies while firing the next one: it renews nothing, and B fires it after the lease.
    const next = await plan('2026-12-01T03:01:00.000Z');
    const orphaned = slowWork();
    const dying = new Scheduler({
      store: a,
      owner: 'replica-a',
      leaseMs: LEASE_MS,
      handlers: { escalation: orphaned.hold },
      log,
      now: clock.now,
      tickSeconds: 3600,
      isRetryable: () => false,
    });
    const dead = dying.tick();
    await orphaned.hasStarted;
    clock.advance(LEASE_MS);
    expect((await b.timers.claimDueLeased('replica-b', LEASE_MS)).map((t) => t.id)).toEqual([next]);
    await dying.renewLeases();
    orphaned.finish();
    await dead;
    expect((await a.timers.get(next))?.firedAt).toBeNull();
    expect(await b.timers.complete(next, 'replica-b')).toBe(true);
  });

  it("renews a page's lease while it is processed; a page taken over is never marked by its old owner", async () => {
    const { clock, a, b } = await replicas(kind);
    const slow = slowWork();
    const processed: number[] = [];
    let failing = false;
    const worker = new InboxWorker({
      inbox: a.inbox,
      log,
      now: clock.now,
      leaseMs: LEASE_MS,
      process: async (item) => {
        processed.push(item.id);
        slow.started();
        await slow.finished;
        if (failing) throw new Error('Slack is down');
        return null;
      },
    });
    const page = await a.inbox.insert({ source: 'generic', rawBody: '{"n":1}' });
    worker.kick();
    await slow.hasStarted;
    clock.advance(LEASE_MS / 2);
    await worker.renewLeases();
    clock.advance(LEASE_MS / 2 + 1);
    expect(await b.inbox.claim(10, LEASE_MS)).toEqual([]);
    worker.kick();
    slow.finish();
    await worker.idle();
    expect(processed).toEqual([page.id]);
    expect(await a.inbox.get(page.id)).toMatchObject({ status: 'done', attempts: 1 });

    // The owner hangs past its lease while its processing fails; B takes the page over and finishes it.
    const second = await a.inbox.insert({ source: 'generic', rawBody: '{"n":2}' });
    const hung = slowWork();
    failing = true;
    const stalled = new InboxWorker({
      inbox: a.inbox,
      log,
      now: clock.now,
      leaseMs: LEASE_MS,
      process: async () => {
        await hung.hold();
        throw new Error('Slack is down');
      },
    });
    stalled.kick();
    await hung.hasStarted;
    clock.advance(LEASE_MS);
    const [takenOver] = await b.inbox.claim(10, LEASE_MS);
    expect([takenOver?.id, takenOver?.attempts]).toEqual([second.id, 2]);
    await b.inbox.markDone(second.id);
    await stalled.renewLeases();
    hung.finish();
    await stalled.stop();
    // Without the renewal's verdict, the old owner's failure would bring the finished page back to be retried.
    expect(await a.inbox.get(second.id)).toMatchObject({ status: 'done', lastError: null, attempts: 2 });
  });
});
