import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { doctorMessage } from '../../blocks/doctor.ts';
import type { Message } from '../../workflow.ts';
import type { ListenerDeps } from '../deps.ts';

type Ack = (SlackCommandMiddlewareArgs & AllMiddlewareArgs)['ack'];

/**
 * `/incident doctor`: the doctor's checks, run by the bot with its own configuration, for bot admins only
 * (the answer names channels, groups and secrets that are missing). Acked at once; the checks call Slack
 * and can take longer than the 3 seconds an ack may, so the answer follows through the response URL.
 */
export async function runDoctorCommand(
  deps: ListenerDeps,
  ack: Ack,
  reply: (message: Message | string) => Promise<void>,
  userId: string,
): Promise<void> {
  if (!deps.runbooks().policy.admins?.includes(userId)) {
    return ack({
      response_type: 'ephemeral',
      text:
        "Sorry, `/incident doctor` is for the bot's admins (`admins:` in policy.yml), since it shows how the bot is set up. " +
        'Ask one of them, or run `npx incident-bot doctor` where the bot is deployed.',
    });
  }
  if (!deps.doctor) return ack({ response_type: 'ephemeral', text: 'The doctor is not available here.' });
  await ack({ response_type: 'ephemeral', text: 'Running the checks…' });
  try {
    await reply(doctorMessage(await deps.doctor()));
  } catch (error) {
    deps.log.error({ err: error }, '/incident doctor failed');
    await reply(
      'The doctor itself failed; it is logged. Run `npx incident-bot doctor` where the bot is deployed.',
    );
  }
}
