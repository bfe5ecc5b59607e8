import type { Logger } from '../log.ts';
import type { DiagnosticsService, Evidence } from '../services/diagnosticsService.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { EscalateIncident } from './escalate.ts';
import type { ChatPort, RemediationResult } from './ports/chat.ts';

/** What a remediation click came to, for the listener to tell the one who clicked (when anything). */
export type Remediated =
  | { kind: 'manual'; title: string }
  | { kind: 'escalated' }
  /** `posted` false: the incident has no channel, the result is the clicker's to see. */
  | { kind: 'ran'; result: RemediationResult; posted: boolean };

/**
 * A runbook's automated diagnostics when its incident opens: a "running" note, then the evidence in its
 * place, then the linked steps redrawn with their results. Runs started on open are tracked so shutdown
 * and tests can wait for them.
 */
export class DiagnosticsRuns {
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    readonly service: DiagnosticsService,
    private readonly incidents: Pick<IncidentService, 'get' | 'steps'>,
    private readonly chat: Pick<
      ChatPort,
      'announceDiagnosticsRunning' | 'showEvidence' | 'showStep' | 'announceRemediation'
    >,
    private readonly escalate: Pick<EscalateIncident, 'run'>,
    private readonly log: Logger,
  ) {}

  /**
   * A recommended remediation clicked: an escalating one escalates (the one path), an automated one runs
   * (the service refuses with a UserError whoever may not approve it) and its result is posted.
   */
  async remediate(input: { incidentId: number; remediationId: string; actor: string }): Promise<Remediated> {
    const { incidentId, actor } = input;
    const outcome = await this.service.remediate(incidentId, input.remediationId, actor);
    if (outcome.outcome === 'manual') return { kind: 'manual', title: outcome.remediation.title };
    if (outcome.outcome === 'escalate') {
      const { conditions = [], title } = outcome.remediation;
      await this.escalate.run({ incidentId, conditions, note: title, actor });
      return { kind: 'escalated' };
    }
    const { run, remediation, approvedBy } = outcome;
    const result = { title: remediation.title, ...run, by: actor, approvedBy };
    const incident = await this.incidents.get(incidentId);
    if (!incident.channelId) return { kind: 'ran', result, posted: false };
    await this.chat.announceRemediation({ ...incident, channelId: incident.channelId }, result);
    return { kind: 'ran', result, posted: true };
  }

  /** Starts a run without waiting for it: the incident opens (and Slack is answered) at once. */
  start(incidentId: number, actor: string): void {
    const run = this.runAndPost(incidentId, actor).catch((error: unknown) => {
      this.log.error({ err: error, incident: incidentId }, 'diagnostics failed');
    });
    this.inflight.add(run);
    void run.finally(() => this.inflight.delete(run));
  }

  /** Resolves when every run started so far has posted its evidence. */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  async runAndPost(incidentId: number, actor: string): Promise<Evidence | null> {
    const incident = await this.incidents.get(incidentId);
    const diagnostics = this.service.diagnosticsFor(incident);
    if (!diagnostics || !incident.channelId || !incident.runbookId) return null;
    const placeholder = await this.chat
      .announceDiagnosticsRunning(incident, diagnostics.checks.length)
      .catch(() => null);
    const evidence = await this.service.run(incidentId, actor);
    if (!evidence) return null;
    try {
      await this.chat.showEvidence(incident, evidence, actor, placeholder);
    } catch (error) {
      // The evidence is on the timeline already; a failed post must not lose it, only be logged.
      this.log.warn({ err: error, incident: incidentId }, 'could not post diagnostics evidence');
    }
    const linked = new Set(evidence.results.flatMap((r) => (r.step === null ? [] : [r.step])));
    for (const step of await this.incidents.steps(incidentId)) {
      if (step.section !== 'step' || step.number === null || !linked.has(step.number) || !step.messageTs)
        continue;
      await this.chat.showStep(await this.incidents.get(incidentId), step).catch(() => undefined);
    }
    return evidence;
  }
}
