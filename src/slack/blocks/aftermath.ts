import { type DrillOutcome, drillOutcome, drillSummary } from '../../domain/drill.ts';
import { formatDuration } from '../../domain/duration.ts';
import type { Incident } from '../../domain/incident.ts';
import type { Followup, Postmortem } from '../../domain/records.ts';
import type { SeverityStats } from '../../domain/stats.ts';
import type { DrillReport } from '../../services/postmortemService.ts';
import { context, type Message, SEVERITY_EMOJI, section } from './kit.ts';
import { escapeMrkdwn, slackDate, splitText, truncate, user } from './mrkdwn.ts';

const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

/** `/incident stats`: MTTD, MTTA, MTTM and MTTR per severity over the window. */
export function statsMessage(stats: readonly SeverityStats[], days: number): Message {
  const rows = stats.map(
    (s) =>
      `${SEVERITY_EMOJI[s.severity as keyof typeof SEVERITY_EMOJI] ?? ''} *${s.severity}* · ${s.incidents} incident${s.incidents === 1 ? '' : 's'} · MTTD ${duration(s.mttdMs)} · MTTA ${duration(s.mttaMs)} (${s.acknowledged} acknowledged) · MTTM ${duration(s.mttmMs)} · MTTR ${duration(s.mttrMs)} (${s.resolved} resolved)`,
  );
  return {
    text: `Response times over the last ${days} days`,
    blocks: [
      section(`*Response times, last ${days} days*`),
      section(rows.join('\n')),
      context(
        'From the incident times (Edit times on the header): MTTD impact started → detected; MTTA detected → first acknowledgement (a commander took it, or the page was acknowledged in PagerDuty); MTTM impact started → mitigated; MTTR impact started → resolved. Unset, detection is the declaration and impact starts at detection. Drills are not counted.',
      ),
    ],
  };
}

export function followupAdded(followup: Followup): Message {
  const text = `📌 Follow-up: ${escapeMrkdwn(truncate(followup.text, 1500))} → ${user(followup.ownerId)} → ${followup.dueDate}`;
  return { text, blocks: [section(text)] };
}

export function postmortemDone(incident: Incident, link: string): Message {
  const text = `📝 Post-mortem done: ${escapeMrkdwn(link)}. Incident #${incident.id} is closed and its reminders have stopped.`;
  return { text, blocks: [section(text)] };
}

export function postmortemScheduled(postmortem: Postmortem, commanderId: string | null): Message {
  const who = commanderId ? `${user(commanderId)}, the` : 'The';
  const text = `${who} post-mortem is due ${slackDate(postmortem.dueAt)}. \`/incident postmortem\` drafts it from the timeline; \`/incident postmortem done <link>\` closes the incident.`;
  return { text: 'Post-mortem scheduled', blocks: [section(text)] };
}

/** What the drill proves, and what the owner does next; only a finished drill counts as a test. */
function drillVerdict(outcome: DrillOutcome, owner: string, today: string): string {
  if (!outcome.countsAsTest) {
    const what =
      outcome.completed + outcome.skipped === 0 ? 'Nothing was done' : 'The drill stopped part-way';
    return `${what}, so it does not count as a test of the runbook: \`npx incident-bot lint\` still uses its Last Tested date. Run the drill again and complete or skip (with a reason) every step.`;
  }
  const unclear = outcome.skipped
    ? `${outcome.skipped === 1 ? 'One step was' : `${outcome.skipped} steps were`} skipped: the runbook is unclear there. ${owner}: update it there, and set`
    : `Every step was done as written. ${owner}: set`;
  return `${unclear} \`Last Tested: ${today}\`. \`npx incident-bot lint\` already counts this drill as a test.`;
}

/** The end of a drill: time per step, where the runbook was unclear, and what its owner should update. */
export function drillReportMessage(report: DrillReport): Message {
  const lines = report.steps.map((s) => {
    const label = `Step ${s.number ?? '?'} · ${escapeMrkdwn(truncate(s.title, 200))}`;
    if (s.state === 'skipped')
      return `⏭️ ${label}: skipped after ${duration(s.tookMs)} — _${escapeMrkdwn(truncate(s.skipReason ?? 'no reason', 300))}_`;
    if (s.state === 'done') return `✅ ${label}: ${duration(s.tookMs)}`;
    return `⬜ ${label}: not done`;
  });
  const runbook = report.runbook;
  const owner = runbook?.owner ? escapeMrkdwn(runbook.owner) : 'the runbook owner';
  const outcome = drillOutcome(report.steps.map((s) => s.state));
  const blocks = [
    section(
      `🎭 *Drill finished* · ${runbook ? `${escapeMrkdwn(runbook.id)}: ${escapeMrkdwn(runbook.title)}` : 'no runbook'} · ${duration(report.totalMs)} in all`,
    ),
    ...splitText(lines.join('\n')).map(section),
    section(`*${drillSummary(outcome)}.* ${drillVerdict(outcome, owner, report.today)}`),
  ];
  return { text: `Drill finished: ${runbook?.id ?? 'no runbook'}`, blocks };
}
