import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Catchup } from '../../../domain/catchup.ts';
import { catchupMessage } from '../../blocks/catchup.ts';
import type { ListenerDeps } from '../deps.ts';

type Args = SlackEventMiddlewareArgs<'member_joined_channel'> & AllMiddlewareArgs;

/** Nothing has happened yet (the team invited as the channel opens): a catch-up would only be noise. */
function nothingToCatchUp(c: Catchup): boolean {
  return c.incident.status === 'declared' && c.done.length === 0 && c.skipped === 0 && !c.lastUpdate;
}

/** Someone joined an incident channel late: they get the catch-up, only for them, without scrolling. */
export function memberJoined(deps: ListenerDeps) {
  return async ({ event, context }: Args): Promise<void> => {
    if (event.user === context.botUserId) return;
    const incident = await deps.service.forChannel(event.channel);
    if (!incident || incident.status === 'closed' || event.user === incident.declaredBy) return;
    const catchup = await deps.catchup.of(incident.id);
    if (nothingToCatchUp(catchup)) return;
    const message = catchupMessage(catchup, 'Welcome: where this incident stands');
    await deps.workflow.ephemeral(event.channel, event.user, {
      ...message,
      blocks: [
        ...message.blocks,
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'Only you see this. `/incident catchup` shows it again.' }],
        },
      ],
    });
  };
}
