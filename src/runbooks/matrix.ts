import { formatDuration } from '../domain/duration.ts';
import type { Policy } from '../domain/policy.ts';
import type { Runbook } from './model.ts';

export interface MatrixAlert {
  alert: string;
  runbooks: { id: string; title: string }[];
  severity: string | null;
  responseTime: string | null;
  /** Listed in policy.yml's monitored_alerts (the quality gate's list). */
  monitored: boolean;
}

export interface MatrixScenario {
  id: string;
  title: string;
  file: string;
  severity: string | null;
  responseTime: string | null;
  alerts: string[];
  owner: string | null;
}

export interface MatrixReference {
  id: string;
  /** Linked IDs by family: MON (monitors), DEP (dependencies/config), RISK, RUN (other runbooks). */
  links: Record<'MON' | 'DEP' | 'RISK' | 'RUN' | 'other', string[]>;
  /** RUN- IDs the runbook points to that no runbook has. */
  dangling: string[];
}

export interface ResponseMatrix {
  scenarios: MatrixScenario[];
  alerts: MatrixAlert[];
  references: MatrixReference[];
  /** Monitored alerts that no runbook handles: the quality gate fails on these. */
  uncovered: string[];
}

function responseTime(policy: Policy | null, severity: string | null): string | null {
  if (!policy || !severity) return null;
  const entry = policy.severities[severity as keyof Policy['severities']];
  return entry ? formatDuration(entry.response_time) : null;
}

function family(id: string): keyof MatrixReference['links'] {
  const prefix = id.split('-')[0] ?? '';
  return prefix === 'MON' || prefix === 'DEP' || prefix === 'RISK' || prefix === 'RUN' ? prefix : 'other';
}

/** The incident response matrix: scenario and alert -> runbook, severity, response time; and the cross-reference. */
export function buildMatrix(runbooks: readonly Runbook[], policy: Policy | null): ResponseMatrix {
  const scenarios = runbooks
    .filter((rb) => rb.source.layout === 'run')
    .map((rb) => ({
      id: rb.id,
      title: rb.title,
      file: rb.source.file,
      severity: rb.severity,
      responseTime: responseTime(policy, rb.severity),
      alerts: [...rb.meta.alerts, ...rb.meta.monitors],
      owner: rb.owner,
    }))
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

  const byAlert = new Map<string, Runbook[]>();
  for (const rb of runbooks) {
    for (const alert of rb.meta.alerts) byAlert.set(alert, [...(byAlert.get(alert) ?? []), rb]);
  }
  const monitored = new Set(policy?.monitored_alerts ?? []);
  for (const alert of monitored) if (!byAlert.has(alert)) byAlert.set(alert, []);
  const alerts = [...byAlert]
    .map(([alert, handlers]) => {
      const severity = handlers.find((h) => h.severity)?.severity ?? null;
      return {
        alert,
        runbooks: handlers.map((h) => ({ id: h.id, title: h.title })),
        severity,
        responseTime: responseTime(policy, severity),
        monitored: monitored.has(alert),
      };
    })
    .sort((a, b) => a.alert.localeCompare(b.alert));

  const ids = new Set(runbooks.map((rb) => rb.id));
  const references = runbooks
    .filter((rb) => rb.source.layout === 'run')
    .map((rb) => {
      const links: MatrixReference['links'] = { MON: [], DEP: [], RISK: [], RUN: [], other: [] };
      const all = new Set([...rb.linkedIds, ...rb.meta.references.map((r) => r.id)]);
      for (const id of all) if (id !== rb.id) links[family(id)].push(id);
      return { id: rb.id, links, dangling: links.RUN.filter((id) => !ids.has(id)) };
    })
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

  return {
    scenarios,
    alerts,
    references,
    uncovered: alerts.filter((a) => a.monitored && a.runbooks.length === 0).map((a) => a.alert),
  };
}

const cell = (value: string | null | undefined) => (value ? value.replace(/\|/g, '\\|') : '—');

/** A Markdown page a team can commit next to its runbooks. */
export function matrixMarkdown(matrix: ResponseMatrix): string {
  const lines = ['# Incident response matrix', '', '## Scenarios', ''];
  lines.push(
    '| Runbook | Scenario | Severity | Response time | Alerts | Owner |',
    '|---|---|---|---|---|---|',
  );
  for (const s of matrix.scenarios) {
    lines.push(
      `| [${s.id}](${s.file.split('/').pop()}) | ${cell(s.title)} | ${cell(s.severity)} | ${cell(s.responseTime)} | ${cell(s.alerts.join(', '))} | ${cell(s.owner)} |`,
    );
  }
  lines.push(
    '',
    '## Alerts',
    '',
    '| Alert | Runbook | Severity | Response time | Monitored |',
    '|---|---|---|---|---|',
  );
  for (const a of matrix.alerts) {
    const handlers = a.runbooks.map((r) => r.id).join(', ') || '**none: add a runbook**';
    lines.push(
      `| ${cell(a.alert)} | ${handlers} | ${cell(a.severity)} | ${cell(a.responseTime)} | ${a.monitored ? 'yes' : 'no'} |`,
    );
  }
  lines.push(
    '',
    '## Cross-references',
    '',
    '| Runbook | MON | DEP | RISK | RUN | Missing |',
    '|---|---|---|---|---|---|',
  );
  for (const r of matrix.references) {
    const { MON, DEP, RISK, RUN } = r.links;
    lines.push(
      `| ${r.id} | ${cell(MON.join(', '))} | ${cell(DEP.join(', '))} | ${cell(RISK.join(', '))} | ${cell(RUN.join(', '))} | ${r.dangling.length ? `**${r.dangling.join(', ')}**` : '—'} |`,
    );
  }
  if (matrix.uncovered.length) {
    lines.push('', `**Monitored alerts without a runbook:** ${matrix.uncovered.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same as plain text for a terminal. */
export function matrixText(matrix: ResponseMatrix): string {
  const lines = ['ALERT -> RUNBOOK (severity, response time)'];
  for (const a of matrix.alerts) {
    const handlers = a.runbooks.map((r) => r.id).join(', ') || 'NO RUNBOOK';
    lines.push(
      `  ${a.alert} -> ${handlers} (${a.severity ?? '-'}, ${a.responseTime ?? '-'})${a.monitored ? '' : ' [not monitored]'}`,
    );
  }
  lines.push('RUNBOOK -> LINKED IDS');
  for (const r of matrix.references) {
    const linked = Object.values(r.links).flat().join(', ') || '-';
    lines.push(`  ${r.id} -> ${linked}${r.dangling.length ? `  MISSING: ${r.dangling.join(', ')}` : ''}`);
  }
  if (matrix.uncovered.length)
    lines.push(`Monitored alerts without a runbook: ${matrix.uncovered.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
