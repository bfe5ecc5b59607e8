import { formatDuration } from '../../domain/duration.ts';
import type { IncidentStep } from '../../domain/steps.ts';
import type { Escalation } from '../../services/incidentService.ts';
import { context, type Message, SEVERITY_EMOJI, section } from './kit.ts';
import { channel, escapeMrkdwn, truncate, user } from './mrkdwn.ts';

/** At most this many checked items are listed; the rest are counted, so the brief stays readable. */
const MAX_CHECKED_LISTED = 15;

function mentions(escalation: Escalation): string {
  const people = escalation.targets.flatMap((t) => [
    ...t.groups.map((g) => `<!subteam^${g}>`),
    ...t.users.map(user),
  ]);
  return people.length ? people.join(' ') : '_no one: add users or groups to the target in policy.yml_';
}

/**
 * The escalation message: who is called in and why, and the "what to provide" of a runbook's Escalation
 * section: severity, elapsed time, current step, what has been checked, who is working on it. Posted in
 * the incident channel, and (with `linkTo`) in the escalation channel. A private incident's brief for the
 * escalation channel names nothing of the incident but its severity and commander.
 */
export function escalationBrief(
  escalation: Escalation,
  steps: readonly IncidentStep[],
  actorId: string,
  now: Date,
  linkTo?: string | null,
): Message {
  const { incident } = escalation;
  const emoji = SEVERITY_EMOJI[incident.severity];
  const elapsed = formatDuration(now.getTime() - Date.parse(incident.declaredAt));
  const targets = escalation.targets.map((t) => escapeMrkdwn(t.label)).join(', ') || 'no target';
  const commander = incident.commanderId ? user(incident.commanderId) : 'no commander yet';
  if (linkTo !== undefined && incident.private) {
    const text = `${emoji} A private ${incident.severity} incident was escalated to ${targets} by ${user(actorId)}. Ask ${commander} for access.`;
    return { text, blocks: [section(`${text}\n${mentions(escalation)}`)] };
  }
  const current = steps.find((s) => s.section === 'step' && s.state === 'active');
  const checked = steps.flatMap((s) => s.checks.filter((c) => c.checked).map((c) => c.text));
  const listed = checked
    .slice(0, MAX_CHECKED_LISTED)
    .map((c) => `• ${escapeMrkdwn(truncate(c, 150))}`)
    .join('\n');
  const more =
    checked.length > MAX_CHECKED_LISTED ? `\n…and ${checked.length - MAX_CHECKED_LISTED} more` : '';
  const where = linkTo ? ` in ${channel(linkTo)}` : '';
  const headline = `${emoji} *Escalation: ${incident.severity} ${escapeMrkdwn(truncate(incident.title, 200))}*${where}`;
  const blocks = [
    section(`${headline}\nCalled in: ${targets}\n${mentions(escalation)}`),
    section(
      [
        `*Elapsed:* ${elapsed} · *Status:* ${incident.status} · *Commander:* ${commander}`,
        `*Current step:* ${current ? escapeMrkdwn(truncate(`${current.number ?? ''} ${current.title}`.trim(), 300)) : 'none active'}`,
        escalation.conditions.length
          ? `*Flagged:* ${escalation.conditions.map(escapeMrkdwn).join(', ')}`
          : '',
        escalation.note ? `*Note:* ${escapeMrkdwn(truncate(escalation.note, 1000))}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    ),
    section(
      checked.length
        ? `*Checked so far (${checked.length}):*\n${listed}${more}`
        : '*Checked so far:* nothing yet',
    ),
    context(`Escalated by ${user(actorId)}`),
  ];
  return { text: `Escalation: ${incident.severity} incident #${incident.id}, called in ${targets}`, blocks };
}

/** In a drill the escalation is rehearsed, not sent: targets are named by label, nobody is mentioned. */
export function drillEscalationNotice(escalation: Escalation): Message {
  const targets =
    escalation.targets.map((t) => escapeMrkdwn(t.label)).join(', ') || 'nobody (no target in policy.yml)';
  const flagged = escalation.conditions.length
    ? ` Flagged: ${escalation.conditions.map(escapeMrkdwn).join(', ')}.`
    : '';
  const text = `🧪 DRILL: this would escalate to ${targets}.${flagged} Nobody was paged.`;
  return { text, blocks: [section(text)] };
}
