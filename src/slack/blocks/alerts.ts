import type { KnownBlock } from '@slack/types';
import type { NormalizedAlert } from '../../domain/alert.ts';
import type { Incident } from '../../domain/incident.ts';
import type { StormJoin } from '../../usecases/ports/pages.ts';
import { context, inline, type Message, section } from './kit.ts';
import { escapeMrkdwn, SECTION_TEXT_MAX, slackDate, truncate, user } from './mrkdwn.ts';

/** Alerts shown in full; the rest of a big group is counted by name, so a 500-alert group stays one message. */
export const ALERTS_IN_DETAIL = 5;
const STORM_LINES = 30;

const SOURCE_NAME: Record<NormalizedAlert['source'], string> = {
  alertmanager: 'Alertmanager',
  pagerduty: 'PagerDuty',
  generic: 'webhook',
};

/** A link only for a plain http(s) URL; anything else is shown as escaped text, so it cannot inject markup. */
export function link(url: string, text: string): string {
  const label = inline(text, 80);
  if (!/^https?:\/\/[^\s<>|]+$/i.test(url)) return `${label}: ${inline(url, 200)}`;
  return `<${escapeMrkdwn(url)}|${label}>`;
}

function labelLine(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  if (pairs.length === 0) return '';
  return `*Labels:* \`${truncate(escapeMrkdwn(pairs.join(', ').replace(/`/g, "'")), 1200)}\``;
}

function annotationLines(annotations: Record<string, string>): string[] {
  const skip = new Set(['summary', 'description', 'message', 'runbook_url', 'dashboard_url']);
  return Object.entries(annotations)
    .filter(([k]) => !skip.has(k))
    .map(([k, v]) => `*${inline(k, 60)}:* ${inline(v, 300)}`);
}

/** One alert as a section: title, summary and description, labels, other annotations, when, links. */
function alertText(alert: NormalizedAlert): string {
  const icon = alert.status === 'firing' ? '🔥' : alert.status === 'resolved' ? '✅' : 'ℹ️';
  const what = alert.status === 'update' ? ` (${inline(alert.event ?? 'update', 60)})` : '';
  const lines = [`${icon} *${inline(alert.title, 300)}*${what}`];
  if (alert.summary && !alert.title.includes(alert.summary)) lines.push(inline(alert.summary, 500));
  if (alert.description) lines.push(truncate(escapeMrkdwn(alert.description.trim()), 1000));
  const labels = labelLine(alert.labels);
  if (labels) lines.push(labels);
  lines.push(...annotationLines(alert.annotations).slice(0, 8));
  const when = alert.startsAt && !Number.isNaN(Date.parse(alert.startsAt)) ? slackDate(alert.startsAt) : null;
  const links = alert.links.map((l) => link(l.url, l.text));
  const footer = [when ? `since ${when}` : null, ...links].filter(Boolean).join(' · ');
  if (footer) lines.push(footer);
  return truncate(lines.join('\n'), SECTION_TEXT_MAX);
}

function countLabel(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The alerts of one delivery as one message in the incident channel: the first evidence when the
 * incident opens (labels, annotations, summary, links), then each later firing, resolved or update.
 */
export function alertEvidence(alerts: readonly NormalizedAlert[]): Message {
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const resolved = alerts.filter((a) => a.status === 'resolved').length;
  const updates = alerts.length - firing - resolved;
  const from = SOURCE_NAME[alerts[0]?.source ?? 'generic'];
  const counts = [
    firing ? `${countLabel(firing, 'alert')} firing` : null,
    resolved ? `${countLabel(resolved, 'alert')} resolved` : null,
    updates ? countLabel(updates, 'update') : null,
  ]
    .filter(Boolean)
    .join(', ');
  const heading = `*${from}:* ${counts}`;
  const blocks: KnownBlock[] = [section(heading)];
  const truncated = alerts[0]?.truncated ?? 0;
  if (truncated > 0) {
    blocks.push(
      context(
        `${countLabel(truncated, 'more alert')} of this group were not sent (Alertmanager \`max_alerts\`); see the Alertmanager link.`,
      ),
    );
  }
  for (const alert of alerts.slice(0, ALERTS_IN_DETAIL)) blocks.push(section(alertText(alert)));
  const rest = alerts.slice(ALERTS_IN_DETAIL);
  if (rest.length > 0) {
    const byName = new Map<string, number>();
    for (const a of rest)
      byName.set(`${a.alertname} (${a.status})`, (byName.get(`${a.alertname} (${a.status})`) ?? 0) + 1);
    const names = [...byName].map(([name, n]) => `${inline(name, 120)} ×${n}`).join(', ');
    blocks.push(context(truncate(`…and ${rest.length} more: ${names}`, 2000)));
  }
  const first = alerts[0];
  const text = first ? `${from}: ${counts} — ${inline(first.title, 200)}` : `${from}: ${counts}`;
  return { text: truncate(text, 300), blocks };
}

/** Alert groups that joined the storm incident, counted by alert name, most alerts first. */
export function stormSummary(joined: readonly StormJoin[], total: number): Message {
  const byName = new Map<string, { groups: number; alerts: number; severity: string; source: string }>();
  for (const j of joined) {
    const entry = byName.get(j.alertname) ?? { groups: 0, alerts: 0, severity: j.severity, source: j.source };
    entry.groups += j.newGroup ? 1 : 0;
    entry.alerts += j.alerts;
    if (j.severity < entry.severity) entry.severity = j.severity;
    byName.set(j.alertname, entry);
  }
  const rows = [...byName].sort((a, b) => b[1].alerts - a[1].alerts);
  const lines = rows
    .slice(0, STORM_LINES)
    .map(
      ([name, e]) =>
        `• *${e.severity}* ${inline(name, 150)} — ${countLabel(e.alerts, 'alert')}${e.groups ? `, ${countLabel(e.groups, 'new group')}` : ''} (${SOURCE_NAME[e.source as NormalizedAlert['source']] ?? e.source})`,
    );
  if (rows.length > STORM_LINES) lines.push(`_…and ${rows.length - STORM_LINES} more alert names_`);
  const newGroups = joined.filter((j) => j.newGroup).length;
  const alerts = joined.reduce((n, j) => n + j.alerts, 0);
  const heading = `🌩️ *Alert storm:* ${countLabel(newGroups, 'alert group')} and ${countLabel(alerts, 'alert')} joined this incident instead of opening channels (${countLabel(total, 'group')} in all).`;
  return {
    text: truncate(`Alert storm: ${newGroups} more alert groups joined (${total} in all)`, 300),
    blocks: [section(heading), section(truncate(lines.join('\n'), SECTION_TEXT_MAX))],
  };
}

/** Every alert resolved under auto_resolve, but a commander holds the incident: they decide, not the bot. */
export function alertsResolvedNotice(commanderId: string): Message {
  return {
    text: '✅ All alerts of this incident have resolved.',
    blocks: [
      section(
        `✅ All alerts of this incident have resolved. ${user(commanderId)} decides whether to resolve it: \`/incident resolve\`.`,
      ),
    ],
  };
}

/** In a resolved incident's channel: its alerts still fire (Alertmanager repeated them), and what was done. */
export function stillFiringNotice(
  incident: Incident,
  alerts: readonly NormalizedAlert[],
  outcome: { policy: 'record' | 'reopen' | 'new'; incidentId: number },
): Message {
  const count = `${alerts.length} alert${alerts.length === 1 ? '' : 's'}`;
  const first = alerts[0] ? `: ${escapeMrkdwn(truncate(alerts[0].title, 200))}` : '';
  const done =
    outcome.policy === 'new'
      ? `A new incident, #${outcome.incidentId}, is open for them.`
      : outcome.policy === 'reopen' && incident.status === 'investigating'
        ? 'The incident is reopened (policy `alerts.after_resolve: reopen`).'
        : 'Recorded on the timeline. If the fix did not hold, reopen with `/incident status investigating`.';
  const text = `:warning: ${count} of this resolved incident still firing${first}. ${done}`;
  return { text, blocks: [section(text)] };
}
