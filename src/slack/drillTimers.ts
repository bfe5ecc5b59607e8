import type { Incident } from '../domain/incident.ts';
import type { TimerPayload } from '../domain/timerPlan.ts';
import { drillEscalationNotice } from './blocks/escalation.ts';
import { context, type Message } from './blocks/kit.ts';
import { escapeMrkdwn } from './blocks/mrkdwn.ts';
import type { ListenerDeps } from './incidentFlows.ts';

/**
 * A drill keeps the timing of a real incident but pages nobody: a timer escalation is recorded and named
 * in the drill channel (no mentions, no invites, no escalation channel, no repeats).
 */
export async function drillTimerEscalation(
  deps: ListenerDeps,
  incident: Incident,
  payload: TimerPayload,
  late: string,
): Promise<void> {
  const escalation = await deps.timekeeper.escalateByTimer({ incident, payload, late });
  if (!incident.channelId) return;
  const notice = drillEscalationNotice(escalation);
  const why = `Timer: ${escapeMrkdwn(payload.reason)}${escapeMrkdwn(late)}`;
  await deps.workflow.post(incident.channelId, { ...notice, blocks: [...notice.blocks, context(why)] });
}

/** No commander in time, in a drill: say the team would be paged again, and page nobody. */
export async function drillRepage(
  deps: ListenerDeps,
  incident: Incident,
  payload: TimerPayload,
  late: string,
): Promise<void> {
  if (incident.commanderId || !incident.channelId) return;
  await deps.timekeeper.recordRepage(incident, `${payload.reason} (drill: nobody paged)`, late);
  const text = `🧪 DRILL: the response team would be paged again now: ${escapeMrkdwn(payload.reason)}${escapeMrkdwn(late)}. Nobody was paged; take the commander role with \`/incident commander\`.`;
  const message: Message = { text: 'DRILL: the response team would be paged again', blocks: [context(text)] };
  await deps.workflow.post(incident.channelId, message);
}
