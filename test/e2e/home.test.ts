import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import { validateView } from '../support/blockLimits.ts';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  buttonClick,
  event,
  interaction,
} from '../support/slackRequests.ts';
import { IC, OTHER, SECRET, startTestBot, type TestBot } from './testBot.ts';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t.stop();
});

function home(user: string) {
  const view = t.slack.homeView(user);
  if (!view) throw new Error(`no Home tab was published for ${user}`);
  return view;
}

describe('App Home', () => {
  it('is published when a user opens it, with a Declare button', async () => {
    const res = await event(t.url, SECRET, appHomeOpenedEvent({ user: OTHER }));
    expect(res.status).toBe(200);
    const view = home(OTHER);
    expect(validateView({ type: 'home', blocks: view.blocks }, 'home')).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain(ACTIONS.openDeclare);
    expect(JSON.stringify(view.blocks)).toContain('No open incidents');
  });

  it('ignores the Messages tab', async () => {
    const before = t.slack.callsTo('views.publish').length;
    await event(t.url, SECRET, appHomeOpenedEvent({ user: OTHER, tab: 'messages' }));
    expect(t.slack.callsTo('views.publish')).toHaveLength(before);
  });

  it('is refreshed for recent viewers when an incident is declared and changes', async () => {
    await event(t.url, SECRET, appHomeOpenedEvent({ user: IC }));
    await t.command('declare P1 Checkout latency high');
    // Home tabs refresh in the background, so the declarer's reply never waits for them.
    await t.bot.home.settled();
    expect(JSON.stringify(home(OTHER).blocks)).toContain('Checkout latency high');
    const incident = (await t.bot.service.listOpen()).at(-1);
    const channel = incident?.channelId ?? '';
    // IC is on the P1 response team in the test policy: it is their task.
    expect(JSON.stringify(home(IC).blocks)).toContain('My tasks');
    expect(JSON.stringify(home(IC).blocks)).toContain('you are incident commander (team)');

    await t.command('status identified bad deploy', { channel_id: channel, user_id: IC });
    await t.bot.home.settled();
    expect(JSON.stringify(home(OTHER).blocks)).toContain('Identified');
  });

  it("opens the declare modal from the Home tab's button", async () => {
    const view = home(OTHER);
    const seen = { ts: '0', blocks: view.blocks };
    const payload = blockActionsPayload({
      user: OTHER,
      channel: `D${OTHER.slice(1)}`,
      message: seen,
      actions: [buttonClick(seen, ACTIONS.openDeclare)],
    });
    await interaction(t.url, SECRET, payload);
    const opened = t.slack.callsTo('views.open').at(-1)?.args.view as { callback_id?: string };
    expect(opened.callback_id).toBe(VIEWS.declare);
  });
});
