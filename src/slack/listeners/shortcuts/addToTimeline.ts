import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { addedToTimeline, addToTimelineFailed, notInIncidentChannel } from '../../blocks/shortcuts.ts';
import type { ListenerDeps } from '../deps.ts';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * The message shortcut "Add to incident timeline": the same timeline entry as a :pushpin: reaction,
 * for people who do not know the reaction or whose client hides it. The payload carries the message,
 * so no history scope is needed.
 */
export function addToTimelineShortcut(deps: ListenerDeps) {
  return async ({ ack, body }: Args): Promise<void> => {
    await ack();
    const channel = body.channel.id;
    const user = body.user.id;
    try {
      const incident = await deps.service.forChannel(channel);
      if (!incident) {
        await deps.workflow.ephemeral(channel, user, notInIncidentChannel());
        return;
      }
      const author = body.message.user ?? 'unknown';
      const text = body.message.text || '(message without text)';
      const entry = await deps.service.pin({
        incidentId: incident.id,
        actor: user,
        messageTs: body.message.ts,
        text: `Pinned message from <@${author}>: ${text}`,
      });
      await deps.workflow.ephemeral(channel, user, addedToTimeline(incident.id, entry === null));
    } catch (error) {
      deps.log.error({ channel, error }, 'adding a message to the timeline failed');
      const reason = error instanceof Error ? error.message : String(error);
      await deps.workflow.ephemeral(channel, user, addToTimelineFailed(reason));
    }
  };
}
