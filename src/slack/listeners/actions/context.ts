import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Actor, ListenerDeps } from '../deps.ts';

export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The clicking user, answered privately in the channel where they clicked. */
export function actorOf(deps: ListenerDeps, body: BlockAction): Actor {
  const channel = body.channel?.id ?? body.user.id;
  return { user: body.user.id, reply: (message) => deps.workflow.ephemeral(channel, body.user.id, message) };
}

/** The numeric ID a button carries in its value (incident or step). */
export function idFromValue(action: BlockAction['actions'][number]): number | null {
  const value = 'value' in action ? action.value : undefined;
  const id = Number(value);
  return Number.isInteger(id) && id > 0 ? id : null;
}
