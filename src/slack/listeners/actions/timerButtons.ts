import type { KnownBlock } from '@slack/types';
import { user } from '../../blocks/mrkdwn.ts';
import { acknowledgedBlocks } from '../../blocks/timers.ts';
import type { ListenerDeps } from '../deps.ts';
import { openExecBrief, openStatusUpdate } from '../updateModals.ts';
import { type ActionArgs, idFromValue } from './context.ts';

/** "Acknowledge" on an escalation: stops its repeats and shows who took it on that message. */
export function ackEscalation(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const incidentId = idFromValue(action);
    if (incidentId === null) return;
    const channel = body.channel?.id ?? null;
    const ts = body.message?.ts;
    await deps.escalationTimers.acknowledge({ incidentId, actor: body.user.id, shownIn: channel });
    if (!channel || !ts) return;
    // The message as the user saw it; only its Acknowledge block is replaced.
    const blocks = (body.message?.blocks ?? []) as KnownBlock[];
    await client.chat.update({
      channel,
      ts,
      text: `Escalation acknowledged by ${user(body.user.id)}`,
      blocks: acknowledgedBlocks(blocks, body.user.id, deps.now()),
    });
  };
}

/** The reminders' buttons: open the prefilled status-update or executive-brief modal. */
export function openUpdateModal(deps: ListenerDeps, which: 'status' | 'brief') {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const incidentId = idFromValue(action);
    if (incidentId === null) return;
    if (which === 'status') await openStatusUpdate(deps, client, body.trigger_id, incidentId);
    else await openExecBrief(deps, client, body.trigger_id, incidentId);
  };
}
