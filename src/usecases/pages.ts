import type { NormalizedAlert } from '../domain/alert.ts';
import type { Incident } from '../domain/incident.ts';
import { isReadOnlyStep } from '../domain/readOnlySteps.ts';
import type { Logger } from '../log.ts';
import { type Declared, type IncidentService, UserError } from '../services/incidentService.ts';
import type { ChatPort } from './ports/chat.ts';
import type { PageSink, StormJoin } from './ports/pages.ts';
import type { ResolveIncident } from './resolve.ts';

export interface PageFollowUpDeps {
  incidents: Pick<IncidentService, 'steps' | 'paging'>;
  resolve: Pick<ResolveIncident, 'run'>;
  chat: Pick<
    ChatPort,
    | 'open'
    | 'refreshHeader'
    | 'showLive'
    | 'postAlerts'
    | 'announceStormJoined'
    | 'announceStillFiring'
    | 'announceAlertsResolved'
  >;
  log: Logger;
}

/**
 * What follows a page once the intake has stored it: the channel opened, the alerts posted as evidence,
 * what the paging tool reports recorded, and, when every alert resolved under `alerts.auto_resolve`, the
 * incident resolved through the one resolve path (so its post-mortem is scheduled) unless a commander
 * decides.
 */
export class PageFollowUps implements PageSink {
  constructor(private readonly deps: PageFollowUpDeps) {}

  open(declared: Declared): Promise<Incident> {
    return this.deps.chat.open(declared, null);
  }

  async alerts(incident: Incident, alerts: readonly NormalizedAlert[]): Promise<void> {
    if (alerts.length > 0) await this.deps.chat.postAlerts(incident, alerts);
  }

  async stormJoined(incident: Incident, joined: readonly StormJoin[], total: number): Promise<void> {
    await this.deps.chat.announceStormJoined(incident, joined, total);
  }

  async stillFiring(
    incident: Incident,
    alerts: readonly NormalizedAlert[],
    outcome: { policy: 'record' | 'reopen' | 'new'; incidentId: number },
  ): Promise<void> {
    if (!incident.channelId) return;
    const { chat } = this.deps;
    if (outcome.policy === 'reopen' && incident.status === 'investigating') {
      await chat.refreshHeader(incident.id);
      // Reopened by the page: the steps the resolve made read-only get their checkboxes back, as on a
      // reopen by `/incident status`.
      const frozen = (await this.deps.incidents.steps(incident.id)).filter(
        (s) => s.messageTs && isReadOnlyStep({ status: 'resolved' }, s),
      );
      await chat.showLive(incident, frozen, `reopened:${incident.updatedAt}`);
    }
    await chat.announceStillFiring(incident, alerts, outcome);
  }

  async acknowledged(incident: Incident, alert: NormalizedAlert): Promise<void> {
    await this.deps.incidents.paging.acknowledgeExternally({
      incidentId: incident.id,
      by: alert.labels.agent ?? 'someone',
      via: alert.source === 'pagerduty' ? 'PagerDuty' : alert.source,
      url: alert.links[0]?.url ?? null,
    });
    await this.deps.chat.refreshHeader(incident.id);
  }

  async pagingUpdate(incident: Incident, alert: NormalizedAlert): Promise<void> {
    await this.deps.incidents.paging.recordExternalUpdate({
      incidentId: incident.id,
      kind: alert.event === 'incident.resolved' ? 'resolved' : 'reassigned',
      by: alert.labels.agent ?? 'someone',
      via: alert.source === 'pagerduty' ? 'PagerDuty' : alert.source,
      to: alert.labels.assignees ?? null,
      url: alert.links[0]?.url ?? null,
      at: alert.startsAt,
    });
    await this.deps.chat.refreshHeader(incident.id);
  }

  async allResolved(incident: Incident): Promise<void> {
    if (!incident.channelId) return;
    if (incident.commanderId) {
      await this.deps.chat.announceAlertsResolved(incident, incident.commanderId);
      return;
    }
    const note = 'all alerts resolved (policy: alerts.auto_resolve)';
    try {
      await this.deps.resolve.run({ incidentId: incident.id, note, actor: 'bot' });
    } catch (error) {
      // Resolved meanwhile, or refused: nobody to tell, the page is done.
      if (!(error instanceof UserError)) throw error;
      this.deps.log.info({ incident: incident.id, reason: error.message }, 'auto-resolve refused');
    }
  }
}
