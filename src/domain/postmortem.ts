import { formatDuration } from './duration.ts';

/** What the document is built from; structural, so the domain stays free of the store. */
export interface PostmortemInput {
  incident: {
    id: number;
    title: string;
    severity: string;
    status: string;
    description: string;
    commanderId: string | null;
    declaredBy: string;
    declaredAt: string;
    acknowledgedAt: string | null;
    resolvedAt: string | null;
    drill: boolean;
  };
  runbook: { id: string; title: string; owner: string | null } | null;
  timeline: readonly { at: string; actor: string; kind: string; text: string; data: unknown }[];
  steps: readonly {
    section: string;
    number: number | null;
    title: string;
    state: string;
    completedBy: string | null;
    completedAt: string | null;
    skipReason: string | null;
    skippedBy: string | null;
  }[];
  /** `issue`: where the follow-up is tracked (a GitHub issue), linked from the document. */
  followups: readonly {
    text: string;
    ownerId: string;
    dueDate: string;
    doneAt: string | null;
    issue?: { ref: string; url: string | null } | null;
  }[];
  /** IANA zone of the team (policy.yml `timezone`), shown beside every UTC time. */
  timezone: string;
  /** The timeline's table rows and evidence lines, rendered beforehand (in slices, for a 10k-entry timeline). */
  rows?: TimelineRows;
}

export interface TimelineRows {
  table: string[];
  evidence: string[];
}

/**
 * The "Everything recorded" rows and the evidence lines of some timeline entries; slices concatenate.
 * Table cells write times out (a date token's `|` would split the cell); list lines use date tokens.
 */
export function timelineRows(entries: PostmortemInput['timeline'], timezone: string): TimelineRows {
  const table: string[] = [];
  const evidence: string[] = [];
  for (const e of entries) {
    const text = (instant: (iso: string) => string) => cell(e.text).replace(ISO_INSTANT, instant);
    table.push(
      `| ${formatTime(e.at, timezone)} | ${person(e.actor)} | ${text((iso) => formatTime(iso, timezone))} |`,
    );
    if (EVIDENCE_KINDS.has(e.kind)) {
      evidence.push(`- ${dateToken(e.at, timezone)} — ${text((iso) => dateToken(iso, timezone))}`);
    }
  }
  return { table, evidence };
}

const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** A person as Slack shows them (a mention renders their name); the bot and integrations by name. */
export function person(id: string): string {
  if (id === 'bot') return 'Incident Bot';
  return SLACK_USER_ID.test(id) ? `<@${id}>` : cell(id);
}

/** A Slack date token (each reader's own zone) whose fallback is the UTC time with the team's zone. */
export function dateToken(iso: string, timezone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return cell(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${formatTime(iso, timezone)}>`;
}

/** `2026-11-22 10:05 UTC (05:05 EST)`: UTC is the record, the team's zone is for reading. */
export function formatTime(iso: string, timezone: string): string {
  // Minutes repeat (an alert flood records thousands of entries in one minute): each is formatted once.
  const key = `${iso.slice(0, 16)} ${timezone}`;
  const known = MINUTES.get(key);
  if (known !== undefined) return known;
  if (MINUTES.size >= 10_000) MINUTES.clear();
  const formatted = formatMinute(iso, timezone);
  MINUTES.set(key, formatted);
  return formatted;
}

const MINUTES = new Map<string, string>();

function formatMinute(iso: string, timezone: string): string {
  const date = new Date(iso);
  const utc = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (timezone === 'UTC') return utc;
  return `${utc} (${localFormat(timezone).format(date)})`;
}

/** Building an Intl formatter costs about a millisecond: one per zone, or a 10k-entry timeline takes seconds. */
const FORMATS = new Map<string, Intl.DateTimeFormat>();

function localFormat(timezone: string): Intl.DateTimeFormat {
  let format = FORMATS.get(timezone);
  if (!format) {
    // en-US has the familiar abbreviations (EST, PST); other zones read as GMT+1 and the like.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    FORMATS.set(timezone, format);
  }
  return format;
}

function between(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return 'n/a';
  return formatDuration(Date.parse(to) - Date.parse(from));
}

/** Table cells: one line each, no pipe that would break the row. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

const EVIDENCE_KINDS = new Set(['diagnostics', 'evidence', 'alert', 'alert_resolved', 'pin', 'remediation']);
const ESCALATION_KINDS = new Set(['escalation', 'flag', 'escalation_ack']);

/**
 * The post-mortem document, as Markdown, from what was recorded: the reconstructed timeline with its key
 * moments, the evidence, the steps done and skipped, escalations, and the skeleton the team fills in (5
 * whys, impact, prevention), with the follow-ups as action items.
 */
export function postmortemDocument(input: PostmortemInput): string {
  const { incident, timeline, timezone } = input;
  const at = (kind: string, predicate: (e: PostmortemInput['timeline'][number]) => boolean = () => true) =>
    timeline.find((e) => e.kind === kind && predicate(e))?.at ?? null;
  const toStatus = (status: string) => (e: PostmortemInput['timeline'][number]) =>
    (e.data as { to?: string } | null)?.to === status;
  const detected = timeline.find((e) => e.kind === 'alert')?.at ?? incident.declaredAt;
  const mitigated = at('status', toStatus('monitoring')) ?? at('status', toStatus('identified'));
  const resolved = incident.resolvedAt;
  const time = (iso: string | null) => (iso ? formatTime(iso, timezone) : 'not recorded');
  const when = (iso: string | null) => (iso ? dateToken(iso, timezone) : 'not recorded');
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);

  push(
    `# Post-mortem: incident #${incident.id}${incident.drill ? ' (DRILL)' : ''} — ${cell(incident.title)}`,
    '',
  );
  push(
    `- **Severity:** ${incident.severity}`,
    `- **Status:** ${incident.status}`,
    `- **Runbook:** ${input.runbook ? `${input.runbook.id}: ${cell(input.runbook.title)}` : 'none (RUN-000 process only)'}`,
    `- **Incident commander:** ${incident.commanderId ? person(incident.commanderId) : 'nobody claimed it'}`,
    `- **Declared by:** ${person(incident.declaredBy)}`,
    `- **Times:** UTC, with ${timezone} in brackets`,
    '',
  );

  push(
    '## Summary',
    '',
    incident.description.trim() || '_What happened, to whom, for how long, in two or three sentences._',
    '',
  );

  push('## Timeline', '', '### Key moments', '');
  push(
    `| Moment | Time |`,
    `|---|---|`,
    `| Detected | ${time(detected)} |`,
    `| Declared | ${time(incident.declaredAt)} |`,
    `| Acknowledged (commander) | ${time(incident.acknowledgedAt)} |`,
    `| Mitigated | ${time(mitigated)} |`,
    `| Resolved | ${time(resolved)} |`,
    '',
    `- Time to acknowledge: ${between(incident.declaredAt, incident.acknowledgedAt)}`,
    `- Time to mitigate: ${between(incident.declaredAt, mitigated)}`,
    `- Time to resolve: ${between(incident.declaredAt, resolved)}`,
    `- Duration of user impact (detected to resolved): ${between(detected, resolved)}`,
    '',
  );
  push('### Everything recorded', '', '| Time | Who | What |', '|---|---|---|');
  const rows = input.rows ?? timelineRows(timeline, timezone);
  for (const row of rows.table) push(row);
  push('');

  push('## Diagnostics and evidence', '');
  if (rows.evidence.length === 0) push('_None recorded. Attach graphs and query output here._');
  for (const row of rows.evidence) push(row);
  push('');

  const walk = input.steps.filter((s) => s.section === 'step');
  push('## Runbook steps', '');
  if (walk.length === 0) push('_No runbook steps were walked._');
  for (const s of walk) {
    const label = `Step ${s.number ?? '?'}: ${cell(s.title)}`;
    if (s.state === 'done')
      push(
        `- ✅ ${label} — done by ${s.completedBy ? person(s.completedBy) : 'unknown'} at ${when(s.completedAt)}`,
      );
    else if (s.state === 'skipped')
      push(
        `- ⏭️ ${label} — skipped by ${s.skippedBy ? person(s.skippedBy) : 'unknown'}: ${cell(s.skipReason ?? 'no reason given')}`,
      );
    else push(`- ⬜ ${label} — not done (${s.state})`);
  }
  push('');

  const escalations = timeline.filter((e) => ESCALATION_KINDS.has(e.kind));
  push('## Escalations', '');
  if (escalations.length === 0) push('_None._');
  for (const e of escalations) push(`- ${when(e.at)} — ${cell(e.text)} (${person(e.actor)})`);
  push('');

  push(
    '## Root cause analysis',
    '',
    '5 whys: start from the symptom users saw and ask why until the answer is something to change.',
    '',
    '1. Why did users see the problem? _…_',
    '2. Why did that happen? _…_',
    '3. Why? _…_',
    '4. Why? _…_',
    '5. Why? _…_',
    '',
    '**Root cause:** _…_',
    '',
    '## Impact',
    '',
    '- **Users:** _how many, which ones, what they could not do_',
    '- **Revenue:** _lost or delayed, and how it was estimated_',
    '- **Reputation:** _customer reports, support tickets, public posts_',
    '- **Data:** _lost, corrupted or exposed; none if none_',
    '',
    '## Prevention',
    '',
    '- Which monitoring would have caught this sooner, or at all?',
    '- Which test would have caught it before production?',
    '- Which process or infrastructure change keeps it from happening again?',
    `- Does ${input.runbook ? input.runbook.id : 'a runbook'} need changes (steps skipped, unclear or missing)?`,
    '',
    '## Action items',
    '',
  );
  if (input.followups.length === 0)
    push('_None yet: add them with `/incident followup <text> @owner <YYYY-MM-DD>`._');
  for (const f of input.followups) {
    const issue = f.issue
      ? ` -> ${f.issue.url ? `[${cell(f.issue.ref)}](${f.issue.url})` : cell(f.issue.ref)}`
      : '';
    push(`- [${f.doneAt ? 'x' : ' '}] ${cell(f.text)} -> ${person(f.ownerId)} -> ${f.dueDate}${issue}`);
  }
  return `${lines.join('\n')}\n`;
}
