import { z } from 'zod';
import { decide, needsApproval } from '../diagnostics/decide.ts';
import { type RemediationRun, runRemediation } from '../diagnostics/remediate.ts';
import { runChecks } from '../diagnostics/runner.ts';
import { type CheckContext, type CheckResult, CheckResultSchema } from '../diagnostics/types.ts';
import type { Incident } from '../domain/incident.ts';
import type { Diagnostics, Remediation } from '../runbooks/model.ts';
import { type IncidentService, UserError } from './incidentService.ts';
import type { RunbookSet } from './runbookSet.ts';

export const RecommendationViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['manual', 'escalate', 'automated']),
  description: z.string().nullable(),
  command: z.string().nullable(),
  needsApproval: z.boolean(),
  because: z.array(z.string()),
});
export type RecommendationView = z.infer<typeof RecommendationViewSchema>;

/** One run of a runbook's diagnostics, as stored in the `diagnostics` timeline entry's data. */
export const EvidenceSchema = z.object({
  runbookId: z.string(),
  results: z.array(CheckResultSchema),
  recommendations: z.array(RecommendationViewSchema),
  durationMs: z.number(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** What a remediation click comes to; a refusal is a UserError (recorded on the timeline first). */
export type RemediationOutcome =
  | { outcome: 'escalate'; remediation: Remediation }
  | { outcome: 'manual'; remediation: Remediation }
  | { outcome: 'ran'; remediation: Remediation; run: RemediationRun; approvedBy: string | null };

const STATUS_EMOJI = { healthy: '✅', warning: '⚠️', critical: '🔴', error: '❗' } as const;

function commandText(r: Remediation): string | null {
  if (r.command) return typeof r.command === 'string' ? r.command : r.command.join(' ');
  if (r.http) return `${r.http.method} ${r.http.url}`;
  return null;
}

/** One line per check, for the timeline text (the post-mortem reads it without the data). */
export function evidenceSummary(results: readonly CheckResult[]): string {
  return results.map((r) => `${STATUS_EMOJI[r.status]} ${r.id}: ${r.status} (${r.display})`).join('; ');
}

/**
 * Diagnostics and remediations of an incident: runs the runbook's checks, records the evidence and the
 * decision tree's recommendations on the timeline, and enforces who may run what. No Slack here.
 */
export class DiagnosticsService {
  /** Remediations running now, so a double click does not run one twice. */
  private readonly running = new Set<string>();

  constructor(
    private readonly incidents: IncidentService,
    private readonly runbooks: () => RunbookSet,
    private readonly context: Omit<CheckContext, 'labels'>,
  ) {}

  diagnosticsFor(incident: Incident): Diagnostics | null {
    const runbook = incident.runbookId ? this.runbooks().catalog.byId(incident.runbookId) : undefined;
    const diagnostics = runbook?.meta.diagnostics;
    return diagnostics && diagnostics.checks.length > 0 ? diagnostics : null;
  }

  /**
   * Alert labels for placeholders: those the page recorded in the `declared` entry's data (`labels`).
   * An incident declared by hand has none, so a check with placeholders reports an error, never guesses.
   */
  async labelsFor(incidentId: number): Promise<Record<string, string>> {
    // Declared once per incident, so the last such entry is the only one.
    const declared = await this.incidents.lastOfKind(incidentId, 'declared');
    const parsed = z.record(z.string(), z.string()).safeParse(declared?.data?.labels);
    return parsed.success ? parsed.data : {};
  }

  /** Runs every check in parallel and records the evidence; null when the runbook has no diagnostics. */
  async run(incidentId: number, actor: string, labels?: Record<string, string>): Promise<Evidence | null> {
    const incident = await this.incidents.get(incidentId);
    const diagnostics = this.diagnosticsFor(incident);
    if (!diagnostics || !incident.runbookId) return null;
    const started = performance.now();
    const results = await runChecks(diagnostics.checks, {
      ...this.context,
      labels: labels ?? (await this.labelsFor(incidentId)),
    });
    const recommendations = decide(diagnostics, results).map(
      ({ remediation: r, because }): RecommendationView => ({
        id: r.id,
        title: r.title,
        kind: r.kind,
        description: r.description ?? null,
        command: commandText(r),
        needsApproval: needsApproval(r),
        because,
      }),
    );
    const evidence: Evidence = {
      runbookId: incident.runbookId,
      results,
      recommendations,
      durationMs: Math.round(performance.now() - started),
    };
    const counts = results.filter((r) => r.status !== 'healthy').length;
    await this.incidents.note(
      incidentId,
      actor,
      'diagnostics',
      `Diagnostics: ${counts} of ${results.length} checks not healthy. ${evidenceSummary(results)}${recommendations.length ? `. Recommended: ${recommendations.map((r) => r.id).join(', ')}` : ''}`,
      evidence,
    );
    return evidence;
  }

  /** The latest evidence of an incident, read back from its timeline. */
  async latest(incidentId: number): Promise<Evidence | null> {
    const parsed = EvidenceSchema.safeParse(
      (await this.incidents.lastOfKind(incidentId, 'diagnostics'))?.data,
    );
    return parsed.success ? parsed.data : null;
  }

  /** The latest results of the checks linked to a procedure step, for that step's message. */
  async forStep(incidentId: number, stepNumber: number | null): Promise<CheckResult[]> {
    if (stepNumber === null) return [];
    return (await this.latest(incidentId))?.results.filter((r) => r.step === stepNumber) ?? [];
  }

  /**
   * A click on a remediation. Automated ones that need approval run only when the incident commander
   * clicks; anyone else is refused and the refusal is recorded. Every approval and run is on the timeline.
   */
  async remediate(incidentId: number, remediationId: string, actor: string): Promise<RemediationOutcome> {
    const incident = await this.incidents.get(incidentId);
    const remediation = this.diagnosticsFor(incident)?.remediations.find((r) => r.id === remediationId);
    if (!remediation)
      throw new UserError(
        `The runbook has no remediation "${remediationId}" any more. Re-run diagnostics for current advice.`,
      );
    if (remediation.kind === 'escalate') {
      await this.incidents.note(
        incidentId,
        actor,
        'remediation',
        `Remediation ${remediation.id}: escalating (${remediation.title})`,
        {
          remediation: remediation.id,
          kind: 'escalate',
        },
      );
      return { outcome: 'escalate', remediation };
    }
    if (remediation.kind === 'manual') return { outcome: 'manual', remediation };
    const approval = needsApproval(remediation);
    if (approval && incident.commanderId !== actor) {
      const reason = incident.commanderId
        ? `Only the incident commander <@${incident.commanderId}> can approve "${remediation.title}". Ask them to click Approve.`
        : `"${remediation.title}" needs the incident commander's approval, and nobody is commander yet. Claim the commander role first, then approve.`;
      await this.incidents.note(
        incidentId,
        actor,
        'remediation_refused',
        `Refused: <@${actor}> tried to run ${remediation.id} (${remediation.title}) without being the commander`,
        { remediation: remediation.id, commander: incident.commanderId },
      );
      throw new UserError(reason);
    }
    const key = `${incidentId}:${remediation.id}`;
    if (this.running.has(key)) throw new UserError(`"${remediation.title}" is already running.`);
    this.running.add(key);
    try {
      if (approval)
        await this.incidents.note(
          incidentId,
          actor,
          'remediation_approved',
          `Approved ${remediation.id}: ${remediation.title}`,
          {
            remediation: remediation.id,
            command: commandText(remediation),
          },
        );
      const run = await runRemediation(remediation, await this.labelsFor(incidentId));
      await this.incidents.note(
        incidentId,
        actor,
        'remediation_run',
        `Ran ${remediation.id} (${remediation.title}): ${run.ok ? 'succeeded' : 'failed'}, ${run.summary}`,
        { remediation: remediation.id, command: commandText(remediation), ...run },
      );
      return { outcome: 'ran', remediation, run, approvedBy: approval ? actor : null };
    } finally {
      this.running.delete(key);
    }
  }
}
