import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SKIP_FIELDS } from '../../src/slack/blocks/modals.ts';
import { slackDate } from '../../src/slack/blocks/mrkdwn.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { buttonClick, checkboxChange, findElement, inputValue } from '../support/slackRequests.ts';
import { activeStepMessage, DECLARER, ephemeralTexts, OTHER, startTestBot, type TestBot } from './testBot.ts';

// Issue 18: after the resolve, the steps worked before it are read-only, and a stale click says why.

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

/** Declares on RUN-001, ticks the first check of step 1, opens its skip modal, then resolves. */
async function resolvedWithStaleViews() {
  const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
  const first = activeStepMessage(t.slack, channel);
  await t.act(OTHER, first, checkboxChange(first, ACTIONS.toggleChecks, { check: ['0'] }));
  const stale = structuredClone(t.slack.message(channel, first.ts) as StoredMessage);
  await t.act(OTHER, stale, buttonClick(stale, ACTIONS.skipStep));
  const modal = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
  const process = t.slack.messages(channel).find((m) => m.text.startsWith('Incident process (RUN-000)'));
  if (!process) throw new Error('no process checklist was posted');
  // Two "of N" counters side by side: each says what it counts.
  expect(process.text).toMatch(/^Incident process \(RUN-000\): 0 of \d+ process checks done$/);
  const header = t.slack.messages(channel)[0];
  expect(JSON.stringify(header?.blocks)).toContain('0 of 4 runbook steps done');
  await t.command('resolve pool resized', { channel_id: channel, user_id: DECLARER });
  await t.bot.jobs.idle();
  const resolved = (await t.bot.service.timeline(incident.id)).findLast((e) => e.kind === 'resolved');
  if (!resolved) throw new Error('the resolve is not on the timeline');
  return { incident, channel, stale, modal, process, resolvedAt: resolved.at };
}

describe('a resolved incident’s step messages (issue 18)', () => {
  it('are redrawn read-only: no checkboxes, no buttons, what became of them, who resolved and when', async () => {
    const { incident, channel, stale, process, resolvedAt } = await resolvedWithStaleViews();
    const step = await t.bot.service.step(Number(/checks:(\d+):/.exec(JSON.stringify(stale.blocks))?.[1]));
    const total = (await t.bot.service.steps(incident.id)).filter((s) => s.section === 'step').length;
    const note = `🔒 Read-only: incident #${incident.id} was resolved by <@${DECLARER}> ${slackDate(resolvedAt)}. Reopen it with \`/incident status investigating\` to work on its steps again.`;
    // The fake gives every block an id, as Slack does; the content is what matters here.
    const blocks = t.slack.message(channel, stale.ts)?.blocks.map(({ block_id: _, ...block }) => block);
    expect(blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `⏹️ *Step 1 of ${total} of RUN-001* · ${step.title} — not done (1 of ${step.checks.length} checks ticked)`,
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: note }] },
    ]);
    const checklist = t.slack.message(channel, process.ts) as StoredMessage;
    expect(checklist.blocks.map((b) => (b as { text?: { text: string } }).text?.text)).toEqual([
      expect.stringMatching(/^⏹️ \*Incident process \(RUN-000\)\* — 0 of \d+ checked$/),
      undefined,
    ]);
    expect(findElement(checklist.blocks, ACTIONS.toggleChecks)).toBeUndefined();
    // The checklists the resolve added stay live: they are what is worked now.
    const resolution = t.slack.messages(channel).find((m) => m.text.startsWith('Resolution verification'));
    expect(resolution && findElement(resolution.blocks, ACTIONS.toggleChecks)).toBeDefined();
  });

  it('a tick from a stale view is answered and changes nothing', async () => {
    const { incident, channel, stale } = await resolvedWithStaleViews();
    const before = (await t.bot.service.timeline(incident.id)).length;
    const tick = checkboxChange(stale, ACTIONS.toggleChecks, { check: ['1'] });
    expect((await t.act(OTHER, stale, tick)).status).toBe(200);
    expect(ephemeralTexts(t.slack, channel, OTHER)).toEqual([
      `Nothing changed: incident #${incident.id} was resolved by <@${DECLARER}>, so its runbook steps are read-only. To work on them again, reopen it with \`/incident status investigating\`.`,
    ]);
    expect(await t.bot.service.timeline(incident.id)).toHaveLength(before);
    const step = (await t.bot.service.steps(incident.id)).find((s) => s.messageTs === stale.ts);
    expect(step?.checks.map((c) => c.checked)).toEqual(step?.checks.map((c) => c.position === 0));
    // Drawn again from the database: still read-only.
    expect(findElement(t.slack.message(channel, stale.ts)?.blocks, ACTIONS.toggleChecks)).toBeUndefined();
  });

  it('reopened with /incident status investigating: the steps are live again and a tick counts', async () => {
    const { incident, channel, stale } = await resolvedWithStaleViews();
    await t.command('status investigating the fix did not hold', { channel_id: channel, user_id: DECLARER });
    await t.bot.jobs.idle();
    const live = t.slack.message(channel, stale.ts) as StoredMessage;
    expect(findElement(live.blocks, ACTIONS.toggleChecks)).toBeDefined();
    await t.act(OTHER, live, checkboxChange(live, ACTIONS.toggleChecks, { check: ['1'] }));
    const step = (await t.bot.service.steps(incident.id)).find((s) => s.messageTs === stale.ts);
    expect(step?.checks.slice(0, 2).map((c) => c.checked)).toEqual([true, true]);
  });

  it('Skip from a stale view opens no modal, and a skip modal opened before the resolve is refused', async () => {
    const { incident, channel, stale, modal } = await resolvedWithStaleViews();
    const opened = t.slack.callsTo('views.open').length;
    expect((await t.act(OTHER, stale, buttonClick(stale, ACTIONS.skipStep))).status).toBe(200);
    expect(t.slack.callsTo('views.open')).toHaveLength(opened);
    expect(ephemeralTexts(t.slack, channel, OTHER)).toEqual([
      expect.stringContaining('Nothing changed: incident #'),
    ]);
    await t.submitView(OTHER, VIEWS.skipStep, modal.private_metadata, {
      [SKIP_FIELDS.reason.blockId]: { [SKIP_FIELDS.reason.actionId]: inputValue.plainText('no VPN') },
    });
    expect(ephemeralTexts(t.slack, OTHER, OTHER)).toEqual([
      expect.stringContaining(`incident #${incident.id} was resolved by <@${DECLARER}>`),
    ]);
    expect((await t.bot.service.step(Number(modal.private_metadata))).state).toBe('active');
  });
});
