import type { Logger } from '../log.ts';
import type { DiagnosticsService, Evidence } from '../services/diagnosticsService.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { diagnosticsRunningMessage, evidenceMessage } from './blocks/diagnostics.ts';
import { slackErrorCode } from './errors.ts';
import type { IncidentWorkflow } from './workflow.ts';

/**
 * The Slack side of diagnostics: a "running" note, then the evidence in its place, then the linked steps
 * re-rendered with their results. Runs started on open are tracked so shutdown and tests can wait for them.
 */
export class DiagnosticsFlow {
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    readonly service: DiagnosticsService,
    private readonly incidents: IncidentService,
    private readonly workflow: IncidentWorkflow,
    private readonly log: Logger,
  ) {}

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
    const channel = incident.channelId;
    const placeholder = await this.workflow
      .post(channel, diagnosticsRunningMessage(diagnostics.checks.length, incident.runbookId))
      .catch(() => null);
    const evidence = await this.service.run(incidentId, actor);
    if (!evidence) return null;
    const message = evidenceMessage(incidentId, evidence, actor);
    try {
      if (placeholder) await this.workflow.update(channel, placeholder, message);
      else await this.workflow.post(channel, message);
    } catch (error) {
      // The evidence is on the timeline already; a failed post must not lose it, only be logged.
      this.log.warn(
        { incident: incidentId, error: slackErrorCode(error) },
        'could not post diagnostics evidence',
      );
    }
    const linked = new Set(evidence.results.flatMap((r) => (r.step === null ? [] : [r.step])));
    for (const step of await this.incidents.steps(incidentId)) {
      if (step.section !== 'step' || step.number === null || !linked.has(step.number) || !step.messageTs)
        continue;
      await this.workflow.showStep(await this.incidents.get(incidentId), step).catch(() => undefined);
    }
    return evidence;
  }
}
