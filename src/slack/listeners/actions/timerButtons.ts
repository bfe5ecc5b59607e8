import type { KnownBlock } from '@slack/types';
import type { ListenerDeps } from '../../incidentFlows.ts';
import { acknowledgeEscalation, openExecBrief, openStatusUpdate } from '../../timerFlows.ts';
import { type ActionArgs, actorOf, idFromValue } from './context.ts';

/** "Acknowledge" on an escalation: stops its repeats and shows who took it on that message. */
export function ackEscalation(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const incidentId = idFromValue(action);
    if (incidentId === null) return;
    const channel = body.channel?.id;
    const ts = body.message?.ts;
    // The message as the user saw it; only its Acknowledge block is replaced.
    const blocks = (body.message?.blocks ?? []) as KnownBlock[];
    const message = channel && ts ? { channel, ts, blocks } : null;
    await acknowledgeEscalation(deps, client, incidentId, actorOf(deps, body), message);
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
