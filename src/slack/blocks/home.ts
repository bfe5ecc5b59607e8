import type { HomeView, KnownBlock } from '@slack/types';
import { formatDuration } from '../../domain/duration.ts';
import type { Incident } from '../../domain/incident.ts';
import { severityRank } from '../../domain/incidentState.ts';
import type { SeverityStats } from '../../domain/stats.ts';
import { ACTIONS } from '../ids.ts';
import {
  actions,
  button,
  context,
  count,
  fitSections,
  inline,
  SEVERITY_EMOJI,
  STATUS_LABEL,
  section,
} from './kit.ts';
import { channel, escapeMrkdwn, slackDate, user } from './mrkdwn.ts';

/** Slack's limit for a Home tab. */
export const HOME_BLOCKS = 100;
/** Incidents shown as full cards; the rest are one line each, packed, so the tab stays within its blocks. */
export const HOME_CARDS = 30;
/** Blocks the "My tasks" list may take. */
const TASK_BLOCKS = 8;

/** One open incident as the viewer may see it. */
export interface HomeIncident {
  incident: Incident;
  /** False for a private incident the viewer is not in: only its severity is shown. */
  visible: boolean;
  /** The active runbook step, e.g. "2. Restart the pool", or null. */
  currentStep: string | null;
  progress: { done: number; total: number };
  /** Due times (ISO) of the next escalation and the next status update, when timers are planned. */
  nextEscalation: string | null;
  nextUpdate: string | null;
  /** What the viewer is on this incident (commander, declarer, a response-team role); empty if nothing. */
  roles: string[];
  /** The viewer's overdue follow-ups on this incident: what, and since when (ISO). */
  overdue: { what: string; since: string }[];
}

export interface HomeInput {
  /** The most urgent open incidents (all of them when `total` is not given). */
  incidents: readonly HomeIncident[];
  /** How many incidents are open, when `incidents` holds only the most urgent of them. */
  total?: number;
  now: Date;
  /** After the fire: the viewer's unwritten post-mortems and overdue follow-ups, and MTTA/MTTR. */
  aftermath?: HomeAftermath;
  /** Steps handed to the viewer in open incidents (`/incident assign step 2 @bob`). */
  assigned?: readonly AssignedTask[];
}

export interface AssignedTask {
  incidentId: number;
  channelId: string | null;
  number: number | null;
  title: string;
}

export interface HomeAftermath {
  /** Resolved incidents the viewer commanded whose post-mortem is not done. */
  postmortems: { incidentId: number; channelId: string | null; dueAt: string }[];
  /** The viewer's open follow-ups past their due date. */
  followups: { incidentId: number; text: string; dueDate: string }[];
  stats: { days: number; rows: readonly SeverityStats[] };
}

const TITLE_MAX = 150;

/**
 * Most severe, then oldest first. Each key is computed once, not in every comparison: 500 incidents took
 * some 9,000 date parses a tab, and every viewer's tab is drawn on each change.
 */
function byUrgency(incidents: readonly HomeIncident[]): HomeIncident[] {
  return incidents
    .map((h) => ({
      h,
      rank: severityRank(h.incident.severity),
      at: Date.parse(h.incident.declaredAt),
    }))
    .sort((a, b) => a.rank - b.rank || a.at - b.at)
    .map(({ h }) => h);
}

/** A private incident to someone outside it: its severity, nothing else (not even its number). */
function hiddenLine(h: HomeIncident): string {
  return `🔒 ${SEVERITY_EMOJI[h.incident.severity]} *${h.incident.severity}* · a private incident`;
}

function headline(h: HomeIncident): string {
  const { incident } = h;
  const lock = incident.private ? '🔒 ' : '';
  return `${lock}${SEVERITY_EMOJI[incident.severity]} *${incident.severity} · #${incident.id} ${inline(incident.title, TITLE_MAX)}*`;
}

function where(incident: Incident): string {
  if (!incident.channelId) return 'no channel yet';
  return incident.inFallback
    ? `in ${channel(incident.channelId)} (no own channel)`
    : channel(incident.channelId);
}

function card(h: HomeIncident, now: Date): string {
  if (!h.visible) return hiddenLine(h);
  const { incident } = h;
  const elapsed = formatDuration(now.getTime() - Date.parse(incident.declaredAt));
  const commander = incident.commanderId ? user(incident.commanderId) : '_no commander yet_';
  const lines = [
    `${headline(h)} · ${STATUS_LABEL[incident.status]}`,
    `${where(incident)} · Commander ${commander} · open ${elapsed}`,
    h.currentStep
      ? `Step ${inline(h.currentStep, 200)} (${h.progress.done}/${h.progress.total} done)`
      : h.progress.total > 0
        ? `All ${h.progress.total} runbook steps done`
        : 'No runbook steps',
  ];
  const due = [
    h.nextEscalation ? `Next escalation ${slackDate(h.nextEscalation)}` : null,
    h.nextUpdate ? `Next update due ${slackDate(h.nextUpdate)}` : null,
  ].filter((d): d is string => d !== null);
  if (due.length > 0) lines.push(due.join(' · '));
  return lines.join('\n');
}

/** One line for an incident beyond the cards. */
function compact(h: HomeIncident, now: Date): string {
  if (!h.visible) return hiddenLine(h);
  const elapsed = formatDuration(now.getTime() - Date.parse(h.incident.declaredAt));
  return `${headline(h)} · ${STATUS_LABEL[h.incident.status]} · ${where(h.incident)} · ${elapsed}`;
}

function taskLines(incidents: readonly HomeIncident[]): string[] {
  const lines: string[] = [];
  for (const h of incidents) {
    if (!h.visible || (h.roles.length === 0 && h.overdue.length === 0)) continue;
    const role = h.roles.length ? `you are ${h.roles.map(escapeMrkdwn).join(', ')}` : '';
    const step = h.currentStep ? ` · next: step ${inline(h.currentStep, 150)}` : '';
    lines.push(`${headline(h)} · ${where(h.incident)}\n${role}${step}`);
    for (const o of h.overdue) lines.push(`⏰ ${escapeMrkdwn(o.what)} overdue since ${slackDate(o.since)}`);
  }
  return lines;
}

function assignedLines(tasks: readonly AssignedTask[]): string[] {
  return tasks.map((t) => {
    const where = t.channelId ? ` · ${channel(t.channelId)}` : '';
    return `👉 Step ${t.number ?? ''} of incident #${t.incidentId} is yours${where}: ${inline(t.title, 200)}`;
  });
}

function aftermathTasks(aftermath: HomeAftermath | undefined, now: Date): string[] {
  if (!aftermath) return [];
  const lines = aftermath.postmortems.map((p) => {
    const where = p.channelId ? ` · ${channel(p.channelId)}` : '';
    const when = Date.parse(p.dueAt) < now.getTime() ? 'overdue since' : 'due';
    return `📝 Post-mortem of incident #${p.incidentId}${where} ${when} ${slackDate(p.dueAt)}`;
  });
  for (const f of aftermath.followups)
    lines.push(`⏰ Follow-up from incident #${f.incidentId}, due ${f.dueDate}: ${inline(f.text, 200)}`);
  return lines;
}

const ms = (value: number | null) => (value === null ? '—' : formatDuration(value));

function statsBlocks(stats: HomeAftermath['stats']): KnownBlock[] {
  const rows = stats.rows
    .filter((r) => r.incidents > 0)
    .map(
      (r) =>
        `${SEVERITY_EMOJI[r.severity as keyof typeof SEVERITY_EMOJI] ?? ''} *${escapeMrkdwn(r.severity)}* · ${r.incidents} · MTTD ${ms(r.mttdMs)} · MTTA ${ms(r.mttaMs)} · MTTM ${ms(r.mttmMs)} · MTTR ${ms(r.mttrMs)}`,
    );
  return [
    { type: 'divider' },
    section(
      `*Response times, last ${stats.days} days*\n${rows.length ? rows.join('\n') : '_No incidents in the window._'}`,
    ),
  ];
}

/**
 * The App Home tab: a Declare button, the viewer's tasks, then the open incidents, most severe and oldest
 * first. Within Slack's 100 blocks however many incidents are open: the first HOME_CARDS get a card each,
 * the rest one line each, packed several to a section, and whatever still does not fit is counted.
 */
export function homeView(input: HomeInput): HomeView {
  const { now } = input;
  const incidents = byUrgency(input.incidents);
  const total = Math.max(input.total ?? 0, incidents.length);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: '🚨 Incidents' } },
    actions([
      button({ text: 'Declare an incident', actionId: ACTIONS.openDeclare, value: 'home', style: 'primary' }),
    ]),
    context(`${total} open · as of ${slackDate(now.toISOString())} · reopen this tab to refresh the times`),
    { type: 'divider' },
    section('*My tasks*'),
  ];

  const tasks = [
    ...assignedLines(input.assigned ?? []),
    ...taskLines(incidents),
    ...aftermathTasks(input.aftermath, now),
  ];
  if (tasks.length === 0)
    blocks.push(context('Nothing for you right now: you hold no role in an open incident.'));
  else blocks.push(...fitSections(tasks, TASK_BLOCKS, (n) => `… and ${n} more tasks.`));

  const stats = input.aftermath ? statsBlocks(input.aftermath.stats) : [];
  blocks.push({ type: 'divider' }, section(`*Open incidents (${total})*`));
  if (incidents.length === 0) {
    blocks.push(context('No open incidents. 🎉'), ...stats);
    return { type: 'home', blocks };
  }
  const cards = incidents.slice(0, HOME_CARDS);
  blocks.push(...cards.map((h) => section(card(h, now))));
  const rest = incidents.slice(HOME_CARDS);
  if (rest.length > 0) {
    const more = total - cards.length;
    blocks.push(context(`${count(more, 'more open incident', 'more open incidents')}, one line each:`));
    const budget = HOME_BLOCKS - blocks.length - stats.length - (total > incidents.length ? 1 : 0);
    blocks.push(
      ...fitSections(
        rest.map((h) => compact(h, now)),
        budget,
        (n) => `… and more incidents (${n} sections): see \`/incident list\`.`,
      ),
    );
    // The least urgent were not read at all: said in one line rather than drawn.
    if (total > incidents.length)
      blocks.push(
        context(
          `… and ${count(total - incidents.length, 'less urgent incident', 'less urgent incidents')} more: see \`/incident list\`.`,
        ),
      );
  }
  blocks.push(...stats);
  return { type: 'home', blocks };
}
