import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../../src/integrations/errors.ts';
import { createLogger } from '../../src/log.ts';
import { JobRunner } from '../../src/scheduler/jobRunner.ts';
import { storeWithIncident } from '../store/helpers.ts';

describe('JobRunner and Retry-After', () => {
  it('waits at least what a 429 asked for, and the usual backoff when it asked less', async () => {
    const { clock, store, incident } = await storeWithIncident('2026-12-01T03:00:00.000Z');
    const errors = new Map([
      ['limited', new IntegrationError('Statuspage answered 429', true, 42_000)],
      ['brief', new IntegrationError('Statuspage answered 429', true, 10)],
    ]);
    const runner = new JobRunner({
      queue: store.jobs,
      handlers: {
        call: async (job) => {
          throw errors.get(job.key);
        },
      },
      owner: 'me',
      log: createLogger('silent'),
      now: clock.now,
      isRetryable: (e) => e instanceof IntegrationError && e.retryable,
    });
    await store.jobs.enqueue([
      { incidentId: incident.id, kind: 'call', key: 'limited', lane: 'a' },
      { incidentId: incident.id, kind: 'call', key: 'brief', lane: 'b' },
    ]);
    await runner.runIncident(incident.id);
    const next = Object.fromEntries(
      (await store.jobs.forIncident(incident.id)).map((j) => [
        j.key,
        Date.parse(j.nextAttemptAt) - clock.now().getTime(),
      ]),
    );
    expect(next).toEqual({ limited: 42_000, brief: 1_000 });
  });
});
