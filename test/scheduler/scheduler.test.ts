import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { cronExpression, lateNote, Scheduler, type TimerHandler } from '../../src/scheduler/scheduler.ts';
import { isTransient } from '../../src/slack/errors.ts';
import { storeWithIncident } from '../store/helpers.ts';

async function setup() {
  const { clock, store, incident } = await storeWithIncident('2026-11-23T15:00:00.000Z');
  const fired: { id: number; kind: string; late: string; lateMs: number }[] = [];
  const record: TimerHandler = async (timer, firing) => {
    fired.push({ id: timer.id, kind: timer.kind, late: firing.late, lateMs: firing.lateMs });
  };
  const handlers: Record<string, TimerHandler> = {
    ok: record,
    boom: async () => {
      throw new Error('Slack is down');
    },
  };
  const scheduler = new Scheduler({
    store: store,
    handlers,
    log: createLogger('silent'),
    now: clock.now,
    tickSeconds: 3600,
    isRetryable: isTransient,
  });
  const at = (offsetMs: number) => new Date(Date.parse('2026-11-23T15:00:00.000Z') + offsetMs);
  return { clock, store, incident, fired, scheduler, at };
}

describe('Scheduler.tick', () => {
  it('fires each due timer once, oldest first, and says how late it is', async () => {
    const { clock, store, incident, fired, scheduler, at } = await setup();
    await store.timers.schedule({ incidentId: incident.id, kind: 'ok', dueAt: at(20 * 60_000) });
    await store.timers.schedule({ incidentId: incident.id, kind: 'ok', dueAt: at(5 * 60_000) });
    await store.timers.schedule({ incidentId: incident.id, kind: 'ok', dueAt: at(60 * 60_000) });
    clock.advance(20 * 60_000 + 30_000);
    expect(await scheduler.tick()).toBe(2);
    expect(await scheduler.tick()).toBe(0);
    expect(fired.map((f) => [f.lateMs, f.late])).toEqual([
      [930_000, ' (fired 15 min 30 s late)'],
      [30_000, ''],
    ]);
  });

  it('carries on after a failing handler and an unknown kind, without firing either again', async () => {
    const { clock, store, incident, fired, scheduler, at } = await setup();
    await store.timers.schedule({ incidentId: incident.id, kind: 'boom', dueAt: at(1000) });
    await store.timers.schedule({ incidentId: incident.id, kind: 'retired_kind', dueAt: at(2000) });
    await store.timers.schedule({ incidentId: incident.id, kind: 'ok', dueAt: at(3000) });
    clock.advance(5000);
    expect(await scheduler.tick()).toBe(3);
    expect(fired.map((f) => f.kind)).toEqual(['ok']);
    expect(await scheduler.tick()).toBe(0);
    expect(await store.timers.listOpen(incident.id)).toEqual([]);
  });

  it('fires again later when Slack was unreachable, and gives up on a request Slack refuses', async () => {
    const { clock, store, incident, fired, scheduler, at } = await setup();
    let outage = true;
    const flaky: TimerHandler = async (timer, firing) => {
      if (outage)
        throw Object.assign(new Error('A request error occurred: fetch failed'), {
          code: ErrorCode.RequestError,
        });
      fired.push({ id: timer.id, kind: timer.kind, late: firing.late, lateMs: firing.lateMs });
    };
    const refused: TimerHandler = async () => {
      throw Object.assign(new Error('An API error occurred: channel_not_found'), {
        code: ErrorCode.PlatformError,
        data: { ok: false, error: 'channel_not_found' },
      });
    };
    const retrying = new Scheduler({
      store: store,
      handlers: { flaky, refused },
      log: createLogger('silent'),
      now: clock.now,
      tickSeconds: 3600,
      isRetryable: isTransient,
    });
    await store.timers.schedule({ incidentId: incident.id, kind: 'flaky', dueAt: at(1000) });
    await store.timers.schedule({ incidentId: incident.id, kind: 'refused', dueAt: at(1000) });
    clock.advance(1000);
    expect(await retrying.tick()).toBe(2);
    const [retry] = await store.timers.listOpen(incident.id);
    expect(retry).toMatchObject({ kind: 'flaky', dueAt: at(31_000).toISOString(), payload: { attempt: 1 } });
    expect(await store.timers.listOpen(incident.id)).toHaveLength(1);
    outage = false;
    clock.advance(30_000);
    expect(await retrying.tick()).toBe(1);
    expect(fired.map((f) => f.kind)).toEqual(['flaky']);
    expect(await store.timers.listOpen(incident.id)).toEqual([]);
    expect(await scheduler.tick()).toBe(0);
  });

  it('runs ticks one after another, so concurrent ticks never hand out a timer twice', async () => {
    const { clock, store, incident, fired, scheduler, at } = await setup();
    for (let i = 0; i < 250; i++)
      await store.timers.schedule({ incidentId: incident.id, kind: 'ok', dueAt: at(i) });
    clock.advance(1000);
    const counts = await Promise.all([scheduler.tick(), scheduler.tick(), scheduler.tick()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(250);
    expect(new Set(fired.map((f) => f.id)).size).toBe(250);
  });

  it('fires nothing after stop', async () => {
    const { clock, store, incident, fired, scheduler, at } = await setup();
    await store.timers.schedule({ incidentId: incident.id, kind: 'ok', dueAt: at(0) });
    await scheduler.stop();
    clock.advance(1000);
    expect(await scheduler.tick()).toBe(0);
    expect(fired).toEqual([]);
  });
});

describe('cronExpression and lateNote', () => {
  it('uses a seconds field below a minute and minutes above', async () => {
    expect(cronExpression(1)).toBe('*/1 * * * * *');
    expect(cronExpression(15)).toBe('*/15 * * * * *');
    expect(cronExpression(120)).toBe('0 */2 * * * *');
    expect(cronExpression(7200)).toBe('0 0 * * * *');
  });

  it('stays quiet below a minute of lateness', async () => {
    expect(lateNote(59_999)).toBe('');
    expect(lateNote(600_000)).toBe(' (fired 10 min late)');
  });
});
