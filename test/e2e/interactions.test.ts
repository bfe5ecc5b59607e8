import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECLARE_FIELDS, SKIP_FIELDS } from '../../src/slack/blocks/modals.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import {
  buttonClick,
  checkboxChange,
  event,
  findElement,
  inputValue,
  interaction,
  reactionAddedEvent,
  selectChange,
} from '../support/slackRequests.ts';
import {
  activeStepMessage,
  DECLARER,
  ESCALATIONS,
  GENERAL,
  IC,
  LEADS,
  OTHER,
  SECRET,
  startTestBot,
  type TestBot,
} from './testBot.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

function declare(title = 'Database connection pool exhausted') {
  return t.declare(`declare P1 ${title}`);
}

function submitView(
  user: string,
  callbackId: string,
  privateMetadata: string,
  values: Record<string, unknown>,
) {
  return t.submitView(user, callbackId, privateMetadata, values);
}

describe('concurrent clicks', () => {
  it('keeps both ticks when two responders click different boxes from the same stale view', async () => {
    const { channel } = await declare();
    const seen = activeStepMessage(t.slack, channel);
    // Both clicks are computed from the same message: neither responder has seen the other's tick.
    const first = checkboxChange(seen, ACTIONS.toggleChecks, { check: ['0'] });
    const second = checkboxChange(seen, ACTIONS.toggleChecks, { check: ['1'] });
    const [a, b] = await Promise.all([t.act(OTHER, seen, first), t.act(IC, seen, second)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const stepId = Number(first.block_id.split(':')[1]);
    const checks = (await t.bot.service.step(stepId)).checks;
    expect(checks.slice(0, 2).map((c) => [c.checked, c.checkedBy])).toEqual([
      [true, OTHER],
      [true, IC],
    ]);
    // The message re-rendered from the database shows both ticks.
    const now = t.slack.message(channel, seen.ts) as StoredMessage;
    const element = findElement(now.blocks, ACTIONS.toggleChecks)?.element as {
      initial_options?: { value: string }[];
    };
    expect(element.initial_options?.map((o) => o.value)).toEqual(['0', '1']);
  });
});

describe('skipping and reopening', () => {
  it('asks for a reason, skips to the next step, and reopens', async () => {
    const { incident, channel } = await declare();
    const step1 = activeStepMessage(t.slack, channel);
    await t.act(OTHER, step1, buttonClick(step1, ACTIONS.skipStep));
    const modal = t.slack.callsTo('views.open').at(-1)?.args.view as {
      private_metadata: string;
      callback_id: string;
    };
    expect(modal.callback_id).toBe(VIEWS.skipStep);

    const empty = await submitView(OTHER, VIEWS.skipStep, modal.private_metadata, {
      [SKIP_FIELDS.reason.blockId]: { [SKIP_FIELDS.reason.actionId]: inputValue.plainText('  ') },
    });
    expect(empty.json).toMatchObject({ response_action: 'errors' });

    await submitView(OTHER, VIEWS.skipStep, modal.private_metadata, {
      [SKIP_FIELDS.reason.blockId]: {
        [SKIP_FIELDS.reason.actionId]: inputValue.plainText('no psql access from VPN'),
      },
    });
    const skipped = t.slack.message(channel, step1.ts) as StoredMessage;
    expect(JSON.stringify(skipped.blocks)).toContain('no psql access from VPN');
    expect(activeStepMessage(t.slack, channel).text).toMatch(/^Step 2 of/);

    await t.act(IC, skipped, buttonClick(skipped, ACTIONS.reopenStep));
    expect(
      findElement((t.slack.message(channel, step1.ts) as StoredMessage).blocks, ACTIONS.toggleChecks),
    ).toBeDefined();
    const kinds = (await t.bot.service.timeline(incident.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['step_skipped', 'step_reopened']));
  });
});

describe('timeline', () => {
  it('adds a :pushpin:-ed message once and posts the timeline on request', async () => {
    const { incident, channel } = await declare();
    const posted = t.slack.postAsUser(channel, OTHER, 'Found it: a migration locked the accounts table');
    const pin = reactionAddedEvent({ user: IC, reaction: 'pushpin', channel, ts: posted.ts });
    expect((await event(t.url, SECRET, pin)).status).toBe(200);
    expect(
      (
        await event(
          t.url,
          SECRET,
          reactionAddedEvent({ user: OTHER, reaction: 'pushpin', channel, ts: posted.ts }),
        )
      ).status,
    ).toBe(200);
    await event(t.url, SECRET, reactionAddedEvent({ user: IC, reaction: 'eyes', channel, ts: posted.ts }));
    const pins = (await t.bot.service.timeline(incident.id)).filter((e) => e.kind === 'pin');
    expect(pins.map((e) => [e.actor, e.text])).toEqual([
      [IC, `Pinned message from <@${OTHER}>: Found it: a migration locked the accounts table`],
    ]);

    await t.command('timeline', { channel_id: channel });
    const timeline = t.slack.messages(channel).at(-1);
    expect(JSON.stringify(timeline)).toContain('a migration locked the accounts table');
    expect(JSON.stringify(timeline)).toContain('Declared P1');
  });
});

describe('commands outside the incident channel', () => {
  it('asks which incident, then applies the command to the one picked', async () => {
    const { incident } = await declare('Checkout errors');
    await declare('Search is down');
    const res = await t.command('status identified bad deploy', { channel_id: GENERAL });
    const prompt = { ts: '1.000001', blocks: (res.json as { blocks: unknown[] }).blocks };
    const pick = selectChange(prompt, ACTIONS.pickIncident, String(incident.id));
    await interaction(
      t.url,
      SECRET,
      (await import('../support/slackRequests.ts')).blockActionsPayload({
        user: DECLARER,
        channel: GENERAL,
        message: prompt,
        actions: [pick],
        response_url: t.slack.responseUrl(),
      }),
    );
    expect((await t.bot.service.get(incident.id)).status).toBe('identified');
    const entry = (await t.bot.service.timeline(incident.id)).find((e) => e.kind === 'status');
    expect(entry?.text).toBe('Status declared → identified: bad deploy');
  });

  it('takes an explicit #id anywhere', async () => {
    const { incident } = await declare('Checkout errors');
    await t.command(`severity #${incident.id} P0`, { channel_id: GENERAL });
    expect((await t.bot.service.get(incident.id)).severity).toBe('P0');
  });
});

describe('severity, escalation and the declare modal', () => {
  it('brings in the larger team when the severity is raised', async () => {
    const { channel } = await declare('Checkout errors');
    expect(t.slack.members(channel)).not.toEqual(expect.arrayContaining(LEADS));
    await t.command('severity P0', { channel_id: channel });
    expect(t.slack.members(channel)).toEqual(expect.arrayContaining(LEADS));
  });

  it('escalates with a flag: target invited, escalation channel briefed, both recorded', async () => {
    const { incident, channel } = await declare();
    const header = t.slack.messages(channel)[0] as StoredMessage;
    await t.escalate(IC, header, ['data_breach'], 'customer emails in logs');
    expect(t.slack.members(channel)).toEqual(expect.arrayContaining([...LEADS, 'U0LEGAL001']));
    const brief = JSON.stringify(t.slack.messages(ESCALATIONS).at(-1));
    expect(brief).toContain('Data breach suspected');
    expect(brief).toContain('customer emails in logs');
    expect(brief).toContain('<!subteam^S0LEADS001>');
    expect(brief).toContain(`<#${channel}>`);
    const kinds = (await t.bot.service.timeline(incident.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['flag', 'escalation']));
  });

  it('declares from the modal', async () => {
    const res = await t.command('');
    expect(res.status).toBe(200);
    const opened = t.slack.callsTo('views.open').at(-1)?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(opened.callback_id).toBe(VIEWS.declare);
    await submitView(DECLARER, VIEWS.declare, opened.private_metadata, {
      [DECLARE_FIELDS.title.blockId]: {
        [DECLARE_FIELDS.title.actionId]: inputValue.plainText('Webhooks delayed'),
      },
      [DECLARE_FIELDS.severity.blockId]: {
        [DECLARE_FIELDS.severity.actionId]: inputValue.staticSelect('P2'),
      },
      [DECLARE_FIELDS.runbook.blockId]: {
        [DECLARE_FIELDS.runbook.actionId]: inputValue.staticSelect('RUN-011'),
      },
      [DECLARE_FIELDS.visibility.blockId]: {
        [DECLARE_FIELDS.visibility.actionId]: inputValue.radio('public'),
      },
    });
    const incident = (await t.bot.service.listOpen())[0];
    expect(incident).toMatchObject({
      title: 'Webhooks delayed',
      severity: 'P2',
      runbookId: 'RUN-011',
      source: 'modal',
    });
  });
});

describe('restart', () => {
  it('carries on the walk-through after the bot restarts on the same database', async () => {
    const { incident, channel } = await declare();
    const step = activeStepMessage(t.slack, channel);
    await t.act(OTHER, step, checkboxChange(step, ACTIONS.toggleChecks, { check: ['0'] }));
    await t.restart();
    const seen = t.slack.message(channel, step.ts) as StoredMessage;
    await t.act(IC, seen, checkboxChange(seen, ACTIONS.toggleChecks, { check: ['1'] }));
    const stepId = Number(findElement(seen.blocks, ACTIONS.toggleChecks)?.block.block_id.split(':')[1]);
    expect((await t.bot.service.step(stepId)).checks.slice(0, 2).map((c) => c.checkedBy)).toEqual([
      OTHER,
      IC,
    ]);
    expect((await t.bot.service.get(incident.id)).channelId).toBe(channel);
    // Nothing was posted twice by the restart.
    expect(t.slack.callsTo('conversations.create')).toHaveLength(1);
  });
});

describe('runbook search', () => {
  it('finds runbooks by symptom and opens the declare modal with the chosen runbook', async () => {
    const res = await t.command('runbooks too many connections');
    const blocks = (res.json as { blocks: unknown[] }).blocks;
    expect(JSON.stringify(blocks)).toContain('RUN-001');
    const results = { ts: '1.000002', blocks };
    const click = buttonClick(results, ACTIONS.openDeclare, { value: 'RUN-001' });
    await interaction(
      t.url,
      SECRET,
      (await import('../support/slackRequests.ts')).blockActionsPayload({
        user: DECLARER,
        channel: GENERAL,
        message: results,
        actions: [click],
      }),
    );
    const view = t.slack.callsTo('views.open').at(-1)?.args.view as {
      callback_id: string;
      blocks: unknown[];
    };
    expect(view.callback_id).toBe(VIEWS.declare);
    const runbookSelect = findElement(view.blocks, DECLARE_FIELDS.runbook.actionId)?.element as {
      initial_option?: { value: string };
    };
    expect(runbookSelect.initial_option?.value).toBe('RUN-001');
  });

  it('lists every runbook when no keyword is given', async () => {
    const res = await t.command('runbooks');
    const text = JSON.stringify(res.json);
    for (const id of ['RUN-000', 'RUN-001', 'RUN-007']) expect(text).toContain(id);
  });
});
