import { createHash } from 'node:crypto';
import type { NormalizedAlert } from '../domain/alert.ts';
import type { Incident } from '../domain/incident.ts';
import { isReadOnlyStep } from '../domain/readOnlySteps.ts';
import type { Logger } from '../log.ts';
import { type Declared, type IncidentService, UserError } from '../services/incidentService.ts';
import type { PageSink, StormJoin } from '../usecases/ports/pages.ts';
import type { ResolveIncident } from '../usecases/resolve.ts';
import { alertEvidence, alertsResolvedNotice, stillFiringNotice, stormSummary } from './blocks/alerts.ts';
import type { IncidentWorkflow } from './workflow.ts';

/** Pages in Slack: the incident channel through the workflow, evidence and summaries as messages. */
export class SlackPageSink implements PageSink {
  constructor(
    private readonly workflow: IncidentWorkflow,
    private readonly service: IncidentService,
    private readonly resolve: ResolveIncident,
    private readonly log: Logger,
  ) {}

  open(declared: Declared): Promise<Incident> {
    return this.workflow.open(declared);
  }

  async alerts(incident: Incident, alerts: readonly NormalizedAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    if (incident.channelId) {
      await this.workflow.post(incident.channelId, alertEvidence(alerts));
      return;
    }
    // Slack is failing and the channel is not open yet: the evidence follows it, in order, durably.
    const key = alerts.map((a) => `${a.fingerprint}/${a.status}/${a.startsAt}`).join(',');
    await this.workflow.postWhenOpen(
      incident.id,
      createHash('sha256').update(key).digest('hex').slice(0, 32),
      alertEvidence(alerts),
    );
  }

  async stormJoined(incident: Incident, joined: readonly StormJoin[], total: number): Promise<void> {
    if (!incident.channelId) return;
    await this.workflow.post(incident.channelId, stormSummary(joined, total));
  }

  async stillFiring(
    incident: Incident,
    alerts: readonly NormalizedAlert[],
    outcome: { policy: 'record' | 'reopen' | 'new'; incidentId: number },
  ): Promise<void> {
    if (!incident.channelId) return;
    if (outcome.policy === 'reopen' && incident.status === 'investigating') {
      await this.workflow.refreshHeader(incident.id);
      // Reopened by the page: the steps the resolve made read-only get their checkboxes back, as on a
      // reopen by `/incident status`.
      const frozen = (await this.service.steps(incident.id)).filter(
        (s) => s.messageTs && isReadOnlyStep({ status: 'resolved' }, s),
      );
      await this.workflow.redrawDurably(incident.id, frozen, `reopened:${incident.updatedAt}`);
    }
    await this.workflow.post(incident.channelId, stillFiringNotice(incident, alerts, outcome));
  }

  async acknowledged(incident: Incident, alert: NormalizedAlert): Promise<void> {
    await this.service.paging.acknowledgeExternally({
      incidentId: incident.id,
      by: alert.labels.agent ?? 'someone',
      via: alert.source === 'pagerduty' ? 'PagerDuty' : alert.source,
      url: alert.links[0]?.url ?? null,
    });
    await this.workflow.refreshHeader(incident.id);
  }

  async pagingUpdate(incident: Incident, alert: NormalizedAlert): Promise<void> {
    await this.service.paging.recordExternalUpdate({
      incidentId: incident.id,
      kind: alert.event === 'incident.resolved' ? 'resolved' : 'reassigned',
      by: alert.labels.agent ?? 'someone',
      via: alert.source === 'pagerduty' ? 'PagerDuty' : alert.source,
      to: alert.labels.assignees ?? null,
      url: alert.links[0]?.url ?? null,
      at: alert.startsAt,
    });
    await this.workflow.refreshHeader(incident.id);
  }

  async allResolved(incident: Incident): Promise<void> {
    if (!incident.channelId) return;
    if (incident.commanderId) {
      await this.workflow.post(incident.channelId, alertsResolvedNotice(incident.commanderId));
      return;
    }
    const note = 'all alerts resolved (policy: alerts.auto_resolve)';
    try {
      await this.resolve.run({ incidentId: incident.id, note, actor: 'bot' });
    } catch (error) {
      // Resolved meanwhile, by hand: nobody to tell, the page is done.
      if (!(error instanceof UserError)) throw error;
      this.log.info({ incident: incident.id, reason: error.message }, 'auto-resolve refused');
    }
  }
}
