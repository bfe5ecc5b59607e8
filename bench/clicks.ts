// What the ack benches share: one responder's checkbox click, and a count of chat.update in flight per message.
import { ACTIONS } from '../src/slack/ids.ts';
import { SECRET } from '../test/e2e/testBot.ts';
import type { FakeSlack, StoredMessage } from '../test/support/fakeSlack.ts';
import { blockActionsPayload, checkboxChange, interaction } from '../test/support/slackRequests.ts';
import { IC } from '../test/support/testRunbooks.ts';

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
