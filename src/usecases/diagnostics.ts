import type { Logger } from '../log.ts';
import type { DiagnosticsService, Evidence } from '../services/diagnosticsService.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { ChatPort } from './ports/chat.ts';

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
    private readonly chat: Pick<ChatPort, 'announceDiagnosticsRunning' | 'showEvidence' | 'showStep'>,
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
