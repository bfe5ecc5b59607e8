import { afterEach, beforeEach, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { blockActionsPayload, checkboxChange, findElement, interaction } from '../support/slackRequests.ts';
import { IC, OTHER, SECRET, startTestBot, type TestBot } from './testBot.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

const ticked = (m: StoredMessage) => {
  const found = findElement(m.blocks, ACTIONS.toggleChecks);
  const initial = (found?.element.initial_options ?? []) as { value: string }[];
  return initial.map((o) => o.value).sort();
};

it('many rapid clicks on one step: one chat.update in flight for its message, far fewer updates, the final state shown', async () => {
  const { channel } = await t.declare('declare P1 Database connection pool exhausted');
  const step = t.slack
    .messages(channel)
    .filter((m) => m.text.startsWith('Step ') && findElement(m.blocks, ACTIONS.toggleChecks))
    .at(-1) as StoredMessage;
  const options = findElement(step.blocks, ACTIONS.toggleChecks)?.element.options as unknown[];
  expect(options.length).toBeGreaterThan(2); // ticking boxes 0 and 1 leaves the step open

  // Slack answers each update of this message after 40 ms, so clicks pile up behind the one in flight.
  let inFlight = 0;
  let maxInFlight = 0;
  t.slack.on('chat.update', async (args) => {
    if (args.ts !== step.ts) return undefined;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 40));
    inFlight--;
    return undefined;
  });

  // 30 clicks at once from the view both responders saw (nothing ticked): OTHER ticks 0, IC ticks 1.
  const clicks = Array.from({ length: 30 }, (_, i) =>
    t.act(
      i % 2 ? IC : OTHER,
      step,
      checkboxChange(step, ACTIONS.toggleChecks, { check: [i % 2 ? '1' : '0'] }),
    ),
  );
  const answers = await Promise.all(clicks);
  expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));

  const updates = t.slack.callsTo('chat.update').filter((c) => c.args.ts === step.ts);
  expect(maxInFlight).toBe(1);
  expect(updates.length).toBeGreaterThanOrEqual(1);
  expect(updates.length).toBeLessThan(30);
  // No two updates of the message overlapped, as Slack saw them.
  for (let i = 1; i < updates.length; i++) {
    expect(updates[i]?.at).toBeGreaterThanOrEqual(updates[i - 1]?.answeredAt ?? Number.POSITIVE_INFINITY);
  }
  // The last update landed with the final state: both boxes ticked, as the database has them.
  const final = t.slack.message(channel, step.ts) as StoredMessage;
  expect(ticked(final)).toEqual(['0', '1']);
  const stepId = Number(findElement(step.blocks, ACTIONS.toggleChecks)?.block.block_id.split(':')[1]);
  expect((await t.bot.service.step(stepId)).checks.map((c) => c.checkedBy).slice(0, 2)).toEqual([OTHER, IC]);
  expect(final.text).toBe(step.text);
});

it('the final state lands after a rate-limited update', async () => {
  const { channel } = await t.declare('declare P1 Database connection pool exhausted');
  const step = t.slack
    .messages(channel)
    .filter((m) => m.text.startsWith('Step ') && findElement(m.blocks, ACTIONS.toggleChecks))
    .at(-1) as StoredMessage;
  // The first update is held 40 ms then refused with a 429; the second click is waiting behind it.
  t.slack.delayNext('chat.update', 40);
  t.slack.rateLimitNext('chat.update', 1);
  const first = t.act(OTHER, step, checkboxChange(step, ACTIONS.toggleChecks, { check: ['0'] }));
  await t.slack.waitFor('chat.update');
  const second = t.act(IC, step, checkboxChange(step, ACTIONS.toggleChecks, { check: ['1'] }));
  await Promise.all([first, second]);
  const updates = t.slack.callsTo('chat.update').filter((c) => c.args.ts === step.ts);
  expect(updates.map((u) => u.status)).toEqual([429, 200]);
  expect(ticked(t.slack.message(channel, step.ts) as StoredMessage)).toEqual(['0', '1']);
  // Neither clicker was told of an error: the change of the refused update landed with the next.
  expect(t.slack.ephemerals(channel).map((e) => e.text)).toEqual([]);
});

it('a click that changes nothing (the box already as clicked) makes no chat.update and no timeline entry', async () => {
  const { channel, incident } = await t.declare('declare P1 Database connection pool exhausted');
  const step = t.slack
    .messages(channel)
    .filter((m) => m.text.startsWith('Step ') && findElement(m.blocks, ACTIONS.toggleChecks))
    .at(-1) as StoredMessage;
  const updatesOfStep = () => t.slack.callsTo('chat.update').filter((c) => c.args.ts === step.ts);
  const tick = () => t.act(IC, step, checkboxChange(step, ACTIONS.toggleChecks, { check: ['0'] }));
  expect((await tick()).status).toBe(200);
  // Each click's answer waits until the update carrying its change has landed.
  expect(updatesOfStep()).toHaveLength(1);
  const entries = (await t.bot.service.timeline(incident.id)).length;

  // The same tick from the same (now stale) view: box 0 is already ticked in the database and on screen.
  expect((await tick()).status).toBe(200);
  expect(updatesOfStep()).toHaveLength(1);
  expect(await t.bot.service.timeline(incident.id)).toHaveLength(entries);
  expect(ticked(t.slack.message(channel, step.ts) as StoredMessage)).toEqual(['0']);
});

it("a click on one incident's checklist sent from another incident's channel is refused and changes nothing", async () => {
  const first = await t.declare('declare P1 Database connection pool exhausted');
  const second = await t.declare('declare P2 Disk almost full');
  const step = t.slack
    .messages(first.channel)
    .filter((m) => m.text.startsWith('Step ') && findElement(m.blocks, ACTIONS.toggleChecks))
    .at(-1) as StoredMessage;
  const payload = blockActionsPayload({
    user: IC,
    channel: second.channel,
    message: step,
    actions: [checkboxChange(step, ACTIONS.toggleChecks, { check: ['0'] })],
    response_url: t.slack.responseUrl(),
  });
  const entries = (await t.bot.service.timeline(first.incident.id)).length;
  expect((await interaction(t.url, SECRET, payload)).status).toBe(200);

  const refusals = t.slack
    .callsTo('chat.postEphemeral')
    .filter((c) => c.args.channel === second.channel && c.args.user === IC);
  expect(refusals.map((c) => c.args.text)).toEqual(['That checklist belongs to another incident channel.']);
  const stepId = Number(findElement(step.blocks, ACTIONS.toggleChecks)?.block.block_id.split(':')[1]);
  expect((await t.bot.service.step(stepId)).checks[0]?.checked).toBe(false);
  expect(await t.bot.service.timeline(first.incident.id)).toHaveLength(entries);
});
