import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { handUpdateRecorded } from '../../blocks/timers.ts';
import type { ListenerDeps } from '../deps.ts';

type Args = SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs;

/** The reaction that marks a message of the incident channel as a status update posted by hand. */
export const HAND_UPDATE_REACTION = 'loudspeaker';

/**
 * A :pushpin: on a message in an incident channel adds that message to the timeline; a :loudspeaker:
 * records it as a status update posted by hand, which restarts the update reminder's clock.
 */
export function reactionAdded(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    if (args.event.reaction === HAND_UPDATE_REACTION) return handUpdate(deps, args);
    return pinned(deps, args);
  };
}

async function messageOf(client: Args['client'], channel: string, ts: string) {
  // reactions.get returns the message itself, so no history scope is needed to read its text.
  const found = await client.reactions.get({ channel, timestamp: ts, full: true });
  return { text: found.message?.text ?? '(message without text)', author: found.message?.user ?? 'unknown' };
}

async function handUpdate(deps: ListenerDeps, { event, client }: Args): Promise<void> {
  if (event.item.type !== 'message') return;
  const incident = await deps.service.forChannel(event.item.channel);
  if (!incident || !deps.timekeeper.isOpen(incident)) return;
  const { text } = await messageOf(client, event.item.channel, event.item.ts);
  const recorded = await deps.timekeeper.recordHandUpdate({
    incidentId: incident.id,
    actor: event.user,
    messageTs: event.item.ts,
    text,
  });
  if (!recorded) return;
  const next = await deps.timekeeper.nextUpdateDue(incident.id);
  await deps.workflow.ephemeral(event.item.channel, event.user, handUpdateRecorded(next));
}

async function pinned(deps: ListenerDeps, { event, client }: Args): Promise<void> {
  if (event.reaction !== 'pushpin' || event.item.type !== 'message') return;
  const incident = await deps.service.forChannel(event.item.channel);
  if (!incident) return;
  const { text, author } = await messageOf(client, event.item.channel, event.item.ts);
  const entry = await deps.service.pin({
    incidentId: incident.id,
    actor: event.user,
    messageTs: event.item.ts,
    text: `Pinned message from <@${author}>: ${text}`,
  });
  if (entry) deps.log.debug({ incident: incident.id, ts: event.item.ts }, 'message pinned to the timeline');
}
