import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { findElement } from '../support/slackRequests.ts';
import { alertmanagerGroup, postWebhook, WEBHOOK_TOKEN } from '../support/webhooks.ts';
import { IC, startTestBot, TEST_POLICY, type TestBot } from './testBot.ts';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
});

/** A group paged, resolved by a responder while it still fires, then Alertmanager's repeat notification. */
async function resolvedThenRepeated(policy: 'record' | 'reopen' | 'new') {
  t = await startTestBot({
    policy: `${TEST_POLICY}\nalerts:\n  after_resolve: ${policy}\n`,
    env: { WEBHOOK_TOKEN },
  });
  const group = alertmanagerGroup({ alertname: 'DiskFull', group: 'repeat', alerts: 2 });
  expect((await postWebhook(t.url, 'alertmanager', group)).status).toBe(202);
  await t.bot.intake.worker.idle();
  const [incident] = await t.bot.service.listOpen();
  if (!incident?.channelId) throw new Error('the page opened no incident');
  await t.command('resolve fixed the disk', { channel_id: incident.channelId, user_id: IC });
  expect((await t.bot.service.get(incident.id)).status).toBe('resolved');
  await t.bot.jobs.idle();
  // The same notification again: same alerts, same startsAt.
  expect((await postWebhook(t.url, 'alertmanager', group)).status).toBe(202);
  await t.bot.intake.worker.idle();
  await t.bot.jobs.idle();
  const notices = t.slack
    .messages(incident.channelId)
    .map((m) => m.text)
    .filter((text) => text.includes('still firing'));
  const repeats = (await t.bot.service.timeline(incident.id)).filter((e) => e.kind === 'alert_repeat');
  // The worked runbook steps: do their messages still carry checkboxes (live) or not (read-only)?
  const live = (await t.bot.service.steps(incident.id))
    .filter((s) => s.section === 'step' && s.messageTs)
    .map(
      (s) =>
        findElement(
          t?.slack.message(incident.channelId ?? '', s.messageTs ?? '')?.blocks,
          ACTIONS.toggleChecks,
        ) !== undefined,
    );
  return { bot: t, incident, notices, repeats, live };
}

describe('repeat notifications after a manual resolve (issue 14)', { timeout: 30_000 }, () => {
  it('are recorded on the resolved incident and said in its channel, by default', async () => {
    const { bot, incident, notices, repeats, live } = await resolvedThenRepeated('record');
    expect(repeats.map((e) => e.text)).toEqual([
      'alertmanager still reports 2 alerts firing after the resolve: DiskFull: DiskFull on repeat-pod-0',
    ]);
    expect(notices).toEqual([
      ':warning: 2 alerts of this resolved incident still firing: DiskFull: DiskFull on repeat-pod-0. Recorded on the timeline. If the fix did not hold, reopen with `/incident status investigating`.',
    ]);
    expect((await bot.bot.service.get(incident.id)).status).toBe('resolved');
    expect(await bot.bot.service.listOpen()).toHaveLength(0);
    expect(live).toEqual([false]);
  });

  it('reopen: the incident goes back to investigating and the group joins it again', async () => {
    const { bot, incident, notices, repeats, live } = await resolvedThenRepeated('reopen');
    expect(repeats).toHaveLength(1);
    // Reopened by the page: the step the resolve made read-only is live again.
    expect(live).toEqual([true]);
    expect((await bot.bot.service.get(incident.id)).status).toBe('investigating');
    expect(notices).toEqual([expect.stringContaining('The incident is reopened')]);
    const key = (await bot.bot.store.alertLinks.listForIncident(incident.id))[0]?.dedupKey ?? '';
    expect((await bot.bot.store.alertLinks.findOpen('alertmanager', key))?.incidentId).toBe(incident.id);
  });

  it('new: a new incident opens for the group, with its own channel', async () => {
    const { bot, incident, notices } = await resolvedThenRepeated('new');
    const open = await bot.bot.service.listOpen();
    expect(open).toHaveLength(1);
    expect(open[0]?.id).not.toBe(incident.id);
    expect(open[0]?.channelId).not.toBeNull();
    expect(notices).toEqual([expect.stringContaining(`A new incident, #${open[0]?.id}, is open for them.`)]);
  });
});
