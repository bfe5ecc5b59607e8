import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { Incident } from '../../../domain/incident.ts';
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

/** A button whose value names an incident and that opens a modal drawn from it (status, times, add step...). */
export function incidentModalButton(deps: ListenerDeps, render: (incident: Incident) => ModalView) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const incidentId = idFromValue(action);
    if (incidentId === null) return;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: render(await deps.service.get(incidentId)),
    });
  };
}
