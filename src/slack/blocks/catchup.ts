import type { Catchup, CatchupStep } from '../../domain/catchup.ts';
import { formatDuration } from '../../domain/duration.ts';
import { incidentHeadline } from './header.ts';
import { context, inline, type Message, STATUS_LABEL, section } from './kit.ts';
import { slackDate, splitText, user } from './mrkdwn.ts';

/** At most this many done steps are named; the rest are counted. */
const DONE_SHOWN = 5;
const UPDATE_MAX = 600;

function stepLine(s: CatchupStep, role: string): string {
  const who = s.who ? ` (${role} ${user(s.who)})` : '';
  return `${s.number ?? '•'}. ${inline(s.title, 200)}${who}`;
}

function rolesText(c: Catchup): string {
  const lines = [
    `Commander: ${c.commanderId ? user(c.commanderId) : '_nobody yet: claim it from the pinned header_'}`,
    `Declared by ${user(c.declaredBy)}`,
  ];
  for (const a of c.assignees) lines.push(`${user(a.userId)} holds step ${a.steps.join(', ')}`);
  return lines.join('\n');
}

function stepsText(c: Catchup): string {
  const done = c.done.slice(-DONE_SHOWN).map((s) => `✅ ${stepLine(s, 'by')}`);
  const earlier = c.done.length > DONE_SHOWN ? [`…and ${c.done.length - DONE_SHOWN} done before them`] : [];
  const active = c.active.map((s) => `▶️ ${stepLine(s, 'assigned to')}`);
  const counts = `${c.done.length} done · ${c.active.length + c.pending} open · ${c.skipped} skipped`;
  return [`*Steps* · ${counts}`, ...earlier, ...done, ...active].join('\n');
}

function timersText(c: Catchup): string {
  const overdue = c.overdue.map((o) => `⏰ Overdue: ${inline(o.what, 100)} since ${slackDate(o.since)}`);
  const next = c.nextTimer
    ? `⏭️ Next: ${inline(c.nextTimer.what, 100)} ${slackDate(c.nextTimer.at, '{date_short_pretty} {time} ({ago})')}`
    : '⏭️ Next: no timer planned';
  return [...(overdue.length ? overdue : ['Nothing overdue.']), next].join('\n');
}

/** `/incident catchup`: only for the asker, from the records alone (no summary written by a model). */
export function catchupMessage(c: Catchup, lead = 'Catch-up'): Message {
  const { incident } = c;
  const update = c.lastUpdate
    ? `*Last status update* ${slackDate(c.lastUpdate.at)} by ${user(c.lastUpdate.by)}\n${inline(c.lastUpdate.text, UPDATE_MAX)}`
    : '*Last status update*: none posted yet (`/incident update`)';
  return {
    text: `${lead}: incident #${incident.id} is ${STATUS_LABEL[incident.status]}, ${formatDuration(c.elapsedMs)} in`,
    blocks: [
      section(`*${lead}* · ${incidentHeadline(incident)}`),
      context(
        `${STATUS_LABEL[incident.status]} · ${incident.severity} · declared ${slackDate(incident.declaredAt, '{date_short_pretty} {time} ({ago})')} · ${formatDuration(c.elapsedMs)} elapsed`,
      ),
      // Each part may grow with the incident (many assignees, many ad-hoc steps): split, never cut.
      ...[rolesText(c), stepsText(c), update, timersText(c)].flatMap((text) => splitText(text).map(section)),
    ],
  };
}
