import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../../domain/duration.ts';
import type { Incident } from '../../domain/incident.ts';
import { ACTIONS } from '../ids.ts';
import { incidentHeadline } from './header.ts';
import { actions, button, context, type Message, section } from './kit.ts';
import { channel, escapeMrkdwn, slackDate, truncate, user } from './mrkdwn.ts';

/** The block holding an escalation's Acknowledge button; replaced by who acknowledged it. */
export const ESCALATION_ACK_BLOCK = 'escalation_ack';

function mentionAll(users: readonly string[], groups: readonly string[]): string {
  return [...groups.map((g) => `<!subteam^${escapeMrkdwn(g)}>`), ...users.map(user)].join(' ');
}

/** "No commander after 5 min": the severity's team is paged again, with a button to take command. */
export function repageMessage(
  incident: Incident,
  team: { users: readonly string[]; groups: readonly string[] },
  reason: string,
  late: string,
): Message {
  const who = mentionAll(team.users, team.groups) || '_no response team in policy.yml_';
  const text = `Paging the response team again: ${reason}${late}`;
  return {
    text: truncate(`${incident.severity} incident #${incident.id}: ${escapeMrkdwn(text)}`, 300),
    blocks: [
      section(`:rotating_light: ${incidentHeadline(incident)}\n${escapeMrkdwn(text)}\n${who}`),
      actions([
        button({
          text: 'I am the incident commander',
          actionId: ACTIONS.claimCommander,
          value: String(incident.id),
          style: 'primary',
        }),
      ]),
    ],
  };
}

/**
 * A timer's escalation: the brief (built by escalationBrief) plus why it fired, whether it fired late,
 * and the Acknowledge button that stops its repeats.
 */
export function timerEscalation(
  brief: Message,
  input: { incidentId: number; reason: string; who: string | null; round: number; late: string },
): Message {
  const why = [
    `*Why:* ${escapeMrkdwn(input.reason)}${escapeMrkdwn(input.late)}`,
    input.who ? `*Runbook says contact:* ${escapeMrkdwn(truncate(input.who, 500))}` : '',
    input.round > 1 ? `*Reminder ${input.round}:* nobody has acknowledged this escalation yet.` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    text: `${brief.text}${input.round > 1 ? ` (reminder ${input.round})` : ''}`,
    blocks: [
      ...brief.blocks,
      section(why),
      actions(
        [
          button({
            text: 'Acknowledge',
            actionId: ACTIONS.ackEscalation,
            value: String(input.incidentId),
            style: 'primary',
          }),
        ],
        ESCALATION_ACK_BLOCK,
      ),
    ],
  };
}

/** The escalation message after someone clicked Acknowledge: the button gives way to who and when. */
export function acknowledgedBlocks(blocks: readonly KnownBlock[], userId: string, at: Date): KnownBlock[] {
  return [
    ...blocks.filter((b) => b.block_id !== ESCALATION_ACK_BLOCK),
    context(`:white_check_mark: Acknowledged by ${user(userId)} at ${slackDate(at.toISOString())}`),
  ];
}

/**
 * "Status update due" / "overdue by 20 min", with a button that opens the prefilled modal. `dueAt` is
 * when it first came due; the overdue time counts from it.
 */
export function reminderMessage(
  incident: Incident,
  input: {
    kind: 'status' | 'brief';
    dueAt: string;
    now: Date;
    late: string;
    executiveChannel?: string;
    /** Which reminder of this due update this is, and how many the policy allows. */
    round?: number;
    cap?: number;
  },
): Message {
  const what = input.kind === 'status' ? 'Status update' : 'Executive brief';
  const overdueMs = input.now.getTime() - Date.parse(input.dueAt);
  const state =
    overdueMs >= 60_000
      ? `overdue by ${formatDuration(overdueMs)} (was due ${slackDate(input.dueAt)})`
      : `due now (${slackDate(input.dueAt)})`;
  const where =
    input.kind === 'status'
      ? 'It goes to this channel and the status channel.'
      : `It goes to ${channel(input.executiveChannel ?? 'the executive channel')}.`;
  return {
    text: truncate(
      `${what} ${overdueMs >= 60_000 ? `overdue by ${formatDuration(overdueMs)}` : 'due'}: ${incident.severity} incident #${incident.id}`,
      300,
    ),
    blocks: [
      section(
        `:alarm_clock: *${what} ${state}*${escapeMrkdwn(input.late)}\n${incidentHeadline(incident)}\n${where}`,
      ),
      actions(
        [
          button({
            text: input.kind === 'status' ? 'Post status update' : 'Write executive brief',
            actionId: input.kind === 'status' ? ACTIONS.openStatusUpdate : ACTIONS.openExecBrief,
            value: String(incident.id),
            style: 'primary',
          }),
          ...reminderButtons(incident.id, input.kind),
        ],
        REMINDER_BUTTONS_BLOCK,
      ),
      ...(input.round && input.cap ? [context(roundLine(input.round, input.cap))] : []),
    ],
  };
}

/** The block holding a reminder's buttons; replaced by what was done with it (snoozed, dismissed). */
export const REMINDER_BUTTONS_BLOCK = 'reminder_buttons';

function reminderButtons(incidentId: number, kind: 'status' | 'brief') {
  return [
    button({ text: 'Snooze 15 min', actionId: ACTIONS.snoozeReminder, value: `${incidentId}:${kind}:15m` }),
    button({ text: 'Snooze 1 h', actionId: ACTIONS.snoozeReminderHour, value: `${incidentId}:${kind}:1h` }),
    button({ text: 'Dismiss', actionId: ACTIONS.dismissReminder, value: `${incidentId}:${kind}` }),
  ];
}

const BY_HAND = 'Posted it by hand? React with :loudspeaker: on that message to record it.';

function roundLine(round: number, cap: number): string {
  if (round >= cap)
    return `Reminder ${round} of ${cap}: the last one. No more reminders until an update is posted. ${BY_HAND}`;
  return `Reminder ${round} of ${cap}. Posting the update resets the clock. ${BY_HAND}`;
}

/** Said to whoever marked a message as a status update posted by hand. */
export function handUpdateRecorded(nextDue: string | null): string {
  const next = nextDue ? ` The next one is due ${slackDate(nextDue)}.` : '';
  return `:loudspeaker: Recorded as a status update on the timeline; the reminder's clock starts again.${next}`;
}

/** A reminder after Snooze or Dismiss: its buttons give way to what was done, by whom. */
export function reminderHandledBlocks(blocks: readonly KnownBlock[], note: string): KnownBlock[] {
  const kept = blocks.filter((b) => b.block_id !== REMINDER_BUTTONS_BLOCK && b.type !== 'context');
  return [...kept, context(note)];
}
