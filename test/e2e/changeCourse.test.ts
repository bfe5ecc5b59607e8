import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADD_STEP_FIELDS, SWITCH_FIELDS } from '../../src/slack/blocks/courseModals.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import {
  appHomeOpenedEvent,
  buttonClick,
  checkboxChange,
  event,
  findElement,
  inputValue,
} from '../support/slackRequests.ts';
import { IC, OTHER, SECRET, startTestBot, type TestBot } from './testBot.ts';

const BOB = 'U0BOB00001';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

function header(channel: string): StoredMessage {
  const pinned = t.slack.pinned(channel)[0];
  if (!pinned) throw new Error('no pinned header');
  return t.slack.message(channel, pinned.ts) as StoredMessage;
}

function stepMessages(channel: string): StoredMessage[] {
  return t.slack.messages(channel).filter((m) => findElement(m.blocks, ACTIONS.toggleChecks));
}

/** Ticks every box of a step message, which completes the step. */
async function tickAll(user: string, message: StoredMessage): Promise<void> {
  const element = findElement(message.blocks, ACTIONS.toggleChecks)?.element as unknown as {
    options: { value: string }[];
  };
  const all = element.options.map((o) => o.value);
  await t.act(user, message, checkboxChange(message, ACTIONS.toggleChecks, { check: all }));
}

function lastModal(): { callback_id: string; private_metadata: string; blocks: unknown[] } {
  return t.slack.callsTo('views.open').at(-1)?.args.view as never;
}

async function declarePool() {
  const declared = await t.declare('declare P1 Database connection pool exhausted');
  expect(declared.incident.runbookId).toBe('RUN-001');
  return declared;
}

describe('switching the runbook of a running incident', () => {
  it('keeps the done steps, skips the old open ones and posts the new runbook from the command', async () => {
    const { incident, channel } = await declarePool();
    const first = stepMessages(channel).at(-1) as StoredMessage;
    await tickAll(IC, first);
    const walkBefore = (await t.bot.service.steps(incident.id)).filter((s) => s.section === 'step');
    expect(walkBefore.map((s) => s.state)).toEqual(['done', 'active', 'pending', 'pending']);
    const oldActive = walkBefore[1];

    const res = await t.command('runbook RUN-002', { channel_id: channel, user_id: IC });
    expect(res.status).toBe(200);

    expect((await t.bot.service.get(incident.id)).runbookId).toBe('RUN-002');
    const walk = (await t.bot.service.steps(incident.id)).filter((s) => s.section === 'step');
    const old = walk.filter((s) => s.runbookId === 'RUN-001');
    expect(old.map((s) => [s.number, s.state, s.skipReason])).toEqual([
      [1, 'done', null],
      [2, 'skipped', 'Runbook switched to RUN-002'],
      [3, 'skipped', 'Runbook switched to RUN-002'],
      [4, 'skipped', 'Runbook switched to RUN-002'],
    ]);
    const fresh = walk.filter((s) => s.runbookId === 'RUN-002');
    expect(fresh.map((s) => s.state)).toEqual([
      'active',
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(fresh[0]?.title).toBe('Confirm the outage from outside');

    // The old active step's message now says skipped; the new runbook's first step is posted.
    const redrawn = t.slack.message(channel, oldActive?.messageTs ?? '') as StoredMessage;
    expect(redrawn.text).toContain('skipped');
    expect(findElement(redrawn.blocks, ACTIONS.toggleChecks)).toBeUndefined();
    const posted = stepMessages(channel).at(-1) as StoredMessage;
    expect(posted.ts).toBe(fresh[0]?.messageTs);
    expect(JSON.stringify(posted.blocks)).toContain('RUN-002: Service Down');
    const announced = t.slack.messages(channel).find((m) => m.text === 'Runbook switched to RUN-002');
    expect(JSON.stringify(announced?.blocks)).toContain(
      `<@${IC}> switched the runbook from RUN-001 to *RUN-002: Service Down*. The old runbook's 3 open steps are skipped`,
    );

    const entry = await t.bot.service.lastOfKind(incident.id, 'runbook_switched');
    expect(entry).toMatchObject({
      actor: IC,
      text: 'Runbook switched from RUN-001 to RUN-002: Service Down (3 open steps of the old one skipped)',
    });
    // The new runbook's own escalation (RUN-002: after 15 min) replaces the old one's (RUN-001: 30 min).
    const escalation = (await t.bot.service.openTimers(incident.id)).filter(
      (x) => x.kind === 'runbook_escalate',
    );
    expect(escalation.map((x) => Date.parse(x.dueAt) - Date.parse(incident.declaredAt))).toEqual([
      15 * 60_000,
    ]);
    // The header names the new runbook.
    expect(JSON.stringify(header(channel).blocks)).toContain('RUN-002');
  });

  it('switches from the header button through a modal', async () => {
    const { incident, channel } = await declarePool();
    const top = header(channel);
    await t.act(IC, top, buttonClick(top, ACTIONS.switchRunbook));
    const modal = lastModal();
    expect(modal.callback_id).toBe(VIEWS.switchRunbook);
    expect(JSON.stringify(modal.blocks)).toContain('RUN-003');
    expect(JSON.stringify(modal.blocks)).not.toContain('"value":"RUN-001"');
    await t.submitView(IC, VIEWS.switchRunbook, modal.private_metadata, {
      [SWITCH_FIELDS.runbook.blockId]: {
        [SWITCH_FIELDS.runbook.actionId]: inputValue.staticSelect('RUN-003'),
      },
    });
    expect((await t.bot.service.get(incident.id)).runbookId).toBe('RUN-003');
    expect((await t.bot.service.lastOfKind(incident.id, 'runbook_switched'))?.actor).toBe(IC);
  });

  it('answers an unknown runbook and a resolved incident with what to do instead', async () => {
    const { incident, channel } = await declarePool();
    await t.command('runbook RUN-999', { channel_id: channel, user_id: IC });
    expect(JSON.stringify(t.slack.responses.at(-1)?.body)).toContain(
      'There is no runbook RUN-999. Find one with /incident runbooks <keyword>',
    );
    await t.command('resolve fixed', { channel_id: channel, user_id: IC });
    await t.command('runbook RUN-002', { channel_id: channel, user_id: IC });
    expect(JSON.stringify(t.slack.responses.at(-1)?.body)).toContain(
      `Incident #${incident.id} is resolved, so you cannot switch its runbook. Reopen it first`,
    );
    expect((await t.bot.service.get(incident.id)).runbookId).toBe('RUN-001');
  });
});

describe('ad-hoc steps', () => {
  it('adds a step with its own checks from the command; ticking them completes it', async () => {
    const { incident, channel } = await declarePool();
    await t.command('step add Drain node-7 | pods rescheduled | error rate below 1%', {
      channel_id: channel,
      user_id: OTHER,
    });
    const added = (await t.bot.service.steps(incident.id)).at(-1);
    expect(added).toMatchObject({ section: 'step', number: 5, title: 'Drain node-7', state: 'active' });
    expect(added?.checks.map((c) => c.text)).toEqual(['pods rescheduled', 'error rate below 1%']);
    expect(await t.bot.service.lastOfKind(incident.id, 'step_added')).toMatchObject({
      actor: OTHER,
      text: 'Step 5 added: Drain node-7 (checks: pods rescheduled; error rate below 1%)',
    });
    const message = stepMessages(channel).at(-1) as StoredMessage;
    expect(message.ts).toBe(added?.messageTs);
    await tickAll(OTHER, message);
    expect((await t.bot.service.step(added?.id ?? 0)).state).toBe('done');
    expect((await t.bot.service.lastOfKind(incident.id, 'step_done'))?.text).toBe(
      'Step 5 done: Drain node-7',
    );
  });

  it('adds a step from the header button through a modal', async () => {
    const { incident, channel } = await declarePool();
    const top = header(channel);
    await t.act(IC, top, buttonClick(top, ACTIONS.addStep));
    const modal = lastModal();
    expect(modal.callback_id).toBe(VIEWS.addStep);
    await t.submitView(IC, VIEWS.addStep, modal.private_metadata, {
      [ADD_STEP_FIELDS.title.blockId]: {
        [ADD_STEP_FIELDS.title.actionId]: inputValue.plainText('Page the DBA'),
      },
      [ADD_STEP_FIELDS.checks.blockId]: {
        [ADD_STEP_FIELDS.checks.actionId]: inputValue.plainText('DBA joined\n\nDBA confirmed the plan'),
      },
    });
    const added = (await t.bot.service.steps(incident.id)).at(-1);
    expect(added).toMatchObject({ title: 'Page the DBA', state: 'active', number: 5 });
    expect(added?.checks.map((c) => c.text)).toEqual(['DBA joined', 'DBA confirmed the plan']);
  });
});

describe('assigning a step', () => {
  it('pings the assignee, lists the step in their App Home, and records it', async () => {
    const { incident, channel } = await declarePool();
    await t.command(`assign step 2 <@${BOB}|bob>`, { channel_id: channel, user_id: IC });
    const step2 = (await t.bot.service.steps(incident.id)).find(
      (s) => s.section === 'step' && s.number === 2,
    );
    expect(step2).toMatchObject({ assigneeId: BOB, assignedBy: IC });
    const ping = t.slack.messages(channel).at(-1);
    expect(ping?.text).toBe(`<@${BOB}>: step 2 is assigned to you`);
    expect(t.slack.members(channel)).toContain(BOB);
    expect(await t.bot.service.lastOfKind(incident.id, 'step_assigned')).toMatchObject({
      actor: IC,
      text: `Step 2 assigned to <@${BOB}>: Find who holds the connections`,
    });
    await t.bot.home.settled();
    expect(JSON.stringify(t.slack.homeView(BOB)?.blocks)).toContain(
      `Step 2 of incident #${incident.id} is yours · <#${channel}>: Find who holds the connections`,
    );
    // Opening the tab again still lists it; someone else's tab does not.
    await event(t.url, SECRET, appHomeOpenedEvent({ user: OTHER }));
    expect(JSON.stringify(t.slack.homeView(OTHER)?.blocks)).not.toContain('is yours');
  });

  it("assigns from the step message's picker, and refuses a step that does not exist", async () => {
    const { incident, channel } = await declarePool();
    const active = stepMessages(channel).at(-1) as StoredMessage;
    const picker = findElement(active.blocks, ACTIONS.assignStep);
    expect(picker?.element.type).toBe('users_select');
    await t.act(OTHER, active, {
      type: 'users_select',
      action_id: ACTIONS.assignStep,
      block_id: picker?.block.block_id as string,
      selected_user: BOB,
      action_ts: '1.0',
    });
    const step1 = (await t.bot.service.steps(incident.id)).find(
      (s) => s.section === 'step' && s.number === 1,
    );
    expect(step1).toMatchObject({ assigneeId: BOB, assignedBy: OTHER });
    const redrawn = t.slack.message(channel, active.ts) as StoredMessage;
    expect(findElement(redrawn.blocks, ACTIONS.assignStep)?.element.initial_user).toBe(BOB);

    await t.command(`assign step 9 <@${BOB}>`, { channel_id: channel, user_id: IC });
    expect(JSON.stringify(t.slack.responses.at(-1)?.body)).toContain(
      'There is no step 9 in this incident. Its steps are numbered 1, 2, 3, 4',
    );
  });
});
