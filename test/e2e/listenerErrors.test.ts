import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SKIP_FIELDS } from '../../src/slack/blocks/modals.ts';
import { UPDATE_FIELDS } from '../../src/slack/blocks/updates.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { buttonClick, checkboxChange, inputValue } from '../support/slackRequests.ts';
import { activeStepMessage, ephemeralTexts, IC, OTHER, startTestBot, type TestBot } from './testBot.ts';

// Every listener runs inside one guard: a request the service refuses with a UserError is answered to
// the user who made it, privately, instead of only reaching the log.

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

const GONE = 'That step no longer exists. Scroll to the latest message of the incident.';

describe('a listener that hits a UserError answers the user who caused it', () => {
  it('a tick on a step that no longer exists', async () => {
    const { channel } = await t.declare('declare P1 Database connection pool exhausted');
    const seen = activeStepMessage(t.slack, channel);
    const tick = {
      ...checkboxChange(seen, ACTIONS.toggleChecks, { check: ['0'] }),
      block_id: 'checks:9999:0',
    };
    const response = await t.act(OTHER, seen, tick);
    expect(response.status).toBe(200);
    expect(ephemeralTexts(t.slack, channel, OTHER)).toEqual([GONE]);
    expect(ephemeralTexts(t.slack, channel, IC)).toEqual([]);
  });

  it('a reopen of a step that no longer exists', async () => {
    const { channel } = await t.declare('declare P1 Database connection pool exhausted');
    const step = activeStepMessage(t.slack, channel);
    await t.act(OTHER, step, buttonClick(step, ACTIONS.skipStep));
    const modal = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
    await t.submitView(OTHER, VIEWS.skipStep, modal.private_metadata, {
      [SKIP_FIELDS.reason.blockId]: { [SKIP_FIELDS.reason.actionId]: inputValue.plainText('no VPN') },
    });
    const skipped = t.slack.message(channel, step.ts) as StoredMessage;
    const response = await t.act(IC, skipped, buttonClick(skipped, ACTIONS.reopenStep, { value: '9999' }));
    expect(response.status).toBe(200);
    expect(ephemeralTexts(t.slack, channel, IC)).toEqual([GONE]);
  });

  it('a skip modal submitted twice: the second submission is refused in the DM of who sent it', async () => {
    const { channel } = await t.declare('declare P1 Database connection pool exhausted');
    const step = activeStepMessage(t.slack, channel);
    await t.act(OTHER, step, buttonClick(step, ACTIONS.skipStep));
    const modal = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
    const reason = {
      [SKIP_FIELDS.reason.blockId]: { [SKIP_FIELDS.reason.actionId]: inputValue.plainText('no VPN') },
    };
    await t.submitView(OTHER, VIEWS.skipStep, modal.private_metadata, reason);
    const again = await t.submitView(OTHER, VIEWS.skipStep, modal.private_metadata, reason);
    expect(again.status).toBe(200);
    const number = (await t.bot.service.step(Number(modal.private_metadata))).number;
    expect(ephemeralTexts(t.slack, OTHER, OTHER)).toEqual([
      `Step ${number} is already skipped. Reopen it first.`,
    ]);
  });

  it('a status update whose resolve is refused: said where the form was opened, nothing posted, refusal recorded', async () => {
    const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
    const header = t.slack.messages(channel)[0] as StoredMessage;
    await t.act(IC, header, buttonClick(header, ACTIONS.claimCommander));
    const posted = t.slack.messages(channel).length;
    const response = await t.submitView(OTHER, VIEWS.statusUpdate, String(incident.id), {
      [UPDATE_FIELDS.status.blockId]: {
        [UPDATE_FIELDS.status.actionId]: inputValue.staticSelect('resolved'),
      },
      [UPDATE_FIELDS.impact.blockId]: { [UPDATE_FIELDS.impact.actionId]: inputValue.plainText('none left') },
      [UPDATE_FIELDS.action.blockId]: { [UPDATE_FIELDS.action.actionId]: inputValue.plainText('watching') },
      [UPDATE_FIELDS.next.blockId]: {
        [UPDATE_FIELDS.next.actionId]: {
          type: 'datetimepicker',
          selected_date_time: Math.floor(Date.now() / 1000) + 3600,
        },
      },
    });
    expect(response.status).toBe(200);
    expect(ephemeralTexts(t.slack, channel, OTHER)).toEqual([
      `Only the incident commander <@${IC}> can resolve this incident. Ask them, or have them hand over with /incident commander <@${OTHER}>.`,
    ]);
    expect((await t.bot.service.get(incident.id)).status).toBe('declared');
    expect(t.slack.messages(channel)).toHaveLength(posted);
    expect(t.slack.messages(t.bot.runbooks().policy.channels.status)).toEqual([]);
    const timeline = await t.bot.service.timeline(incident.id);
    expect(timeline.filter((e) => e.kind === 'refused').map((e) => e.actor)).toEqual([OTHER]);
    expect(timeline.filter((e) => e.kind === 'status_update')).toEqual([]);
  });
});
