import type { WorkingStatus } from '../../domain/incidentState.ts';
import type { Severity } from '../../domain/severity.ts';
import type { KeptInChannel } from '../../domain/updates.ts';
import type { Escalation } from '../../services/outcomes.ts';
import { drillEscalationNotice } from './escalation.ts';
import { context, type Message } from './kit.ts';
import { channel as channelLink, escapeMrkdwn, user } from './mrkdwn.ts';

// Notes the channel gets after a change the header also shows, and the timers' notes of a drill.

/** A note everyone in the channel sees: the text alone, no blocks. */
function note(text: string): Message {
  return { text, blocks: [] };
}

export function statusChanged(change: { status: WorkingStatus; by: string; note: string | null }): Message {
  const suffix = change.note ? `: ${escapeMrkdwn(change.note)}` : '';
  return note(`Status is now *${change.status}* (set by ${user(change.by)})${suffix}`);
}

export function severityChanged(change: { severity: Severity; by: string }): Message {
  return note(`Severity is now *${change.severity}* (set by ${user(change.by)})`);
}

export function commanderChanged(change: { userId: string; by: string }): Message {
  return note(`${user(change.userId)} is now the incident commander (set by ${user(change.by)})`);
}

export function escalationAcknowledged(by: string): Message {
  return {
    text: `Escalation acknowledged by ${user(by)}`,
    blocks: [context(`:white_check_mark: Escalation acknowledged by ${user(by)}; no more repeats.`)],
  };
}

/** A drill's timer escalation: who would be called in, and why the timer fired. */
export function drillTimerEscalation(escalation: Escalation, reason: string, late: string): Message {
  const notice = drillEscalationNotice(escalation);
  const why = `Timer: ${escapeMrkdwn(reason)}${escapeMrkdwn(late)}`;
  return { ...notice, blocks: [...notice.blocks, context(why)] };
}

/** No commander in time, in a drill: the team would be paged again; nobody is. */
export function drillRepage(reason: string, late: string): Message {
  const text = `🧪 DRILL: the response team would be paged again now: ${escapeMrkdwn(reason)}${escapeMrkdwn(late)}. Nobody was paged; take the commander role with \`/incident commander\`.`;
  return { text: 'DRILL: the response team would be paged again', blocks: [context(text)] };
}

/** Why an update was not posted to its audience's channel, above the update kept in the incident's. */
export function keptNote(
  kept: Exclude<KeptInChannel, null>,
  what: 'status' | 'brief',
  channel: string,
): string {
  const where = `${what === 'status' ? 'the status channel' : 'the executive channel'} ${channelLink(channel)}`;
  if (kept === 'drill')
    return `:construction: DRILL: not posted to ${where}; this is what it would have said.`;
  return `:lock: Private incident: not posted to ${where}; share it with the people who need it yourself.`;
}

export function withNote(message: Message, text: string): Message {
  return { ...message, text: `${text}\n${message.text}`, blocks: [context(text), ...(message.blocks ?? [])] };
}

export function execBriefPosted(executiveChannel: string, by: string): Message {
  const text = `Executive brief posted to ${channelLink(executiveChannel)} by ${user(by)}`;
  return { text, blocks: [context(`:memo: ${text}`)] };
}
