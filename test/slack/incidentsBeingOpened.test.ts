import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import { IncidentsBeingOpened } from '../../src/slack/openJobs.ts';

const incident = { id: 7, title: 'Disk full', channelId: null } as Incident;

describe('incidents being opened', () => {
  it('hands the declared incident to its channel job once, and only while open runs the jobs', async () => {
    const opened = new IncidentsBeingOpened();
    expect(opened.take(7)).toBeUndefined();
    const taken = await opened.during(incident, async () => [opened.take(7), opened.take(7)]);
    // The first attempt gets it without a read; a retry in the same run reads the database.
    expect(taken).toEqual([incident, undefined]);
    await opened.during(incident, async () => 'not taken');
    // Never taken while open ran (e.g. the job waited out a backoff): dropped, so a later run reads afresh.
    expect(opened.take(7)).toBeUndefined();
  });

  it('drops the incident when the run fails', async () => {
    const opened = new IncidentsBeingOpened();
    await expect(
      opened.during(incident, async () => {
        throw new Error('Slack is down');
      }),
    ).rejects.toThrow('Slack is down');
    expect(opened.take(7)).toBeUndefined();
  });
});
