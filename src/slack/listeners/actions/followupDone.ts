import { escapeMrkdwn } from '../../blocks/mrkdwn.ts';
import type { ListenerDeps } from '../deps.ts';
import { type ActionArgs, actorOf, idFromValue } from './context.ts';

/** "Done" on a follow-up reminder: records it, stops the reminders, and says so in place of the button. */
export function followupDone(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: ActionArgs): Promise<void> => {
    await ack();
    const followupId = idFromValue(action);
    if (followupId === null) return;
    const actor = actorOf(deps, body);
    const done = await deps.postmortems.completeFollowup({ followupId, actor: actor.user });
    await respond({
      replace_original: true,
      text: done
        ? `✅ Follow-up done: ${escapeMrkdwn(done.text)}`
        : 'This follow-up was already marked done.',
    });
  };
}
