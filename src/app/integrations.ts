import type { Config } from '../config.ts';
import { IntegrationError } from '../integrations/errors.ts';
import { PagerDutyApi } from '../integrations/pagerduty.ts';
import { pagerdutyJobHandlers, pagerdutyJobsFor } from '../integrations/pagerdutyJobs.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { Job, NewJob, Store } from '../store/index.ts';

export interface IntegrationWiring {
  handlers: Record<string, (job: Job) => Promise<void>>;
  /** The jobs that bring each configured system in line with the incident as it is now (idempotent keys). */
  jobsFor(incidentId: number): NewJob[];
}

/** A vendor failure worth retrying (5xx, 429, network); a refused request would fail again. */
export function isRetryableIntegrationError(error: unknown): boolean {
  return error instanceof IntegrationError && error.retryable;
}

/** Builds the configured integrations: each is off (no handlers, no jobs) unless its variables are set. */
export function wireIntegrations(deps: {
  config: Config;
  store: Store;
  service: IncidentService;
}): IntegrationWiring {
  const { config, store, service } = deps;
  const record = (incidentId: number, text: string, data: Record<string, unknown>) => {
    service.note(incidentId, 'bot', 'integration', text, data);
  };
  const pagerduty = config.pagerduty ? new PagerDutyApi(config.pagerduty) : null;
  return {
    handlers: {
      ...(pagerduty ? pagerdutyJobHandlers({ api: pagerduty, record }) : {}),
    },
    jobsFor(incidentId) {
      const incident = service.get(incidentId);
      const pagerdutyIds = store.alertLinks
        .listForIncident(incidentId)
        .filter((link) => link.source === 'pagerduty')
        .map((link) => link.dedupKey);
      return [...(pagerduty ? pagerdutyJobsFor(incident, [...new Set(pagerdutyIds)]) : [])];
    },
  };
}
