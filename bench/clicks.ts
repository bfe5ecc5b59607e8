// What the ack benches share: the bare Bolt app the bot is measured against, one responder's checkbox click,
// and a count of chat.update in flight per message.
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { ACTIONS } from '../src/slack/ids.ts';
import { SECRET } from '../test/e2e/testBot.ts';
import { FAKE_BOT, type FakeSlack, type StoredMessage } from '../test/support/fakeSlack.ts';
import { blockActionsPayload, checkboxChange, interaction } from '../test/support/slackRequests.ts';
import { IC } from '../test/support/testRunbooks.ts';

/** A Bolt app that only acks, with the bot's token and secret: the floor the bot's acks are compared with. */
export async function startBareBolt(
  slackApiUrl: string,
): Promise<{ port: number; stop: () => Promise<void> }> {
  const app = new App({
    token: 'xoxb-test-token',
    signingSecret: SECRET,
    botId: FAKE_BOT.botId,
    botUserId: FAKE_BOT.userId,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl },
  });
  app.command('/incident', async ({ ack }) => ack());
  app.action(/.*/, async ({ ack }) => ack());
  const server = (await app.start(0)) as unknown as { address(): AddressInfo };
  return { port: server.address().port, stop: async () => void (await app.stop()) };
}

/** Click `i` on the step's first box: ticks on odd clicks, unticks on even ones, so every click changes it. */
export function clickStep(url: string, step: StoredMessage, i: number, responseUrl: string) {
  return interaction(
    url,
    SECRET,
    blockActionsPayload({
      user: IC,
      channel: step.channel,
      message: step,
      actions: [checkboxChange(step, ACTIONS.toggleChecks, i % 2 ? { check: ['0'] } : { uncheck: ['0'] })],
      response_url: responseUrl,
    }),
  );
}

/**
 * Slack answers each chat.update after `delayMs`, so clicks pile up as they would on a busy message; the
 * coalescer (issue 19) must keep one update of a message in flight and far fewer updates than clicks.
 */
export function countStepUpdates(slack: FakeSlack, delayMs = 50) {
  const updates = { calls: 0, inFlight: new Map<string, number>(), max: 0 };
  slack.on('chat.update', async (args) => {
    const ts = String(args.ts);
    updates.calls++;
    const now = (updates.inFlight.get(ts) ?? 0) + 1;
    updates.inFlight.set(ts, now);
    updates.max = Math.max(updates.max, now);
    await new Promise((r) => setTimeout(r, delayMs));
    updates.inFlight.set(ts, (updates.inFlight.get(ts) ?? 1) - 1);
    return undefined;
  });
  return updates;
}
