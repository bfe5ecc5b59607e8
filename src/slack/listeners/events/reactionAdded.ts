import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../../incidentFlows.ts';

type Args = SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs;

/** A :pushpin: on a message in an incident channel adds that message to the timeline. */
export function reactionAdded(deps: ListenerDeps) {
  return async ({ event, client }: Args): Promise<void> => {
    if (event.reaction !== 'pushpin' || event.item.type !== 'message') return;
    const incident = await deps.service.forChannel(event.item.channel);
    if (!incident) return;
    // reactions.get returns the message itself, so no history scope is needed to read its text.
    const found = await client.reactions.get({
      channel: event.item.channel,
      timestamp: event.item.ts,
      full: true,
    });
    const text = found.message?.text ?? '(message without text)';
    const author = found.message?.user ?? 'unknown';
    const entry = await deps.service.pin({
      incidentId: incident.id,
      actor: event.user,
      messageTs: event.item.ts,
      text: `Pinned message from <@${author}>: ${text}`,
    });
    if (entry) deps.log.debug({ incident: incident.id, ts: event.item.ts }, 'message pinned to the timeline');
  };
}
