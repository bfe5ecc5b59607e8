import type { Config } from '../config.ts';
import type { Incident } from '../domain/incident.ts';
import type { Followup, Job, NewJob } from '../domain/records.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import { IntegrationError } from '../integrations/errors.ts';
import { GitHubIssues } from '../integrations/github.ts';
import { GITHUB_SYSTEM, githubIssueJob, githubJobHandlers } from '../integrations/githubJobs.ts';
import type { IssuesEvent } from '../integrations/githubWebhook.ts';
import { PagerDutyApi } from '../integrations/pagerduty.ts';
import { pagerdutyJobHandlers, pagerdutyJobsFor, pagerdutyNoteJobs } from '../integrations/pagerdutyJobs.ts';
import { StatuspageApi } from '../integrations/statuspage.ts';
import {
  statuspageJobHandlers,
  statuspageResolveJob,
  statuspageUpdateJob,
} from '../integrations/statuspageJobs.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { Store } from '../store/index.ts';

/** A status update as the responder wrote it, to publish on the status page. */
export interface PublishedUpdate {
  entryId: number;
  status: 'investigating' | 'identified' | 'monitoring' | 'resolved';
  impact: string;
  action: string;
}

export interface IntegrationWiring {
  handlers: Record<string, (job: Job) => Promise<void>>;
  /** The jobs that bring each configured system in line with the incident as it is now (idempotent keys). */
  jobsFor(incidentId: number): NewJob[];
  /** The job that publishes a status update, or null when no status page is configured or it must not publish. */
  publishJob(incident: Incident, update: PublishedUpdate): NewJob | null;
  /** The jobs that send a pinned timeline message to the paging tool as a note. */
  noteJobs(entry: TimelineEntry): NewJob[];
  /** The job that files a follow-up in the tracker, or null when none is configured. */
  followupJob(followup: Followup): NewJob | null;
  /** The follow-up a closed GitHub issue stands for, if it is one of ours. */
  followupForIssue(event: IssuesEvent): number | null;
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
  runbooks: () => RunbookSet;
  /** Queues a short confirmation to the incident's channel; `key` makes it once. */
  post: (incidentId: number, key: string, text: string) => void;
}): IntegrationWiring {
  const { config, store, service } = deps;
  const record = (incidentId: number, text: string, data: Record<string, unknown>) => {
    service.note(incidentId, 'bot', 'integration', text, data);
  };
  const pagerduty = config.pagerduty ? new PagerDutyApi(config.pagerduty) : null;
  const statuspage = config.statuspage ? new StatuspageApi(config.statuspage) : null;
  const github = config.github ? new GitHubIssues(config.github) : null;
  const components = (incident: Incident) =>
    (incident.runbookId && deps.runbooks().catalog.byId(incident.runbookId)?.meta.components) || [];
  const pagerdutyIdsOf = (incidentId: number) => [
    ...new Set(
      store.alertLinks
        .listForIncident(incidentId)
        .filter((link) => link.source === 'pagerduty')
        .map((link) => link.dedupKey),
    ),
  ];
  // Private incidents and drills never reach an audience outside their channel.
  const publishes = (incident: Incident) => statuspage !== null && !incident.private && !incident.drill;
  return {
    handlers: {
      ...(pagerduty ? pagerdutyJobHandlers({ api: pagerduty, record }) : {}),
      ...(statuspage
        ? statuspageJobHandlers({ api: statuspage, refs: store.externalRefs, record, confirm: deps.post })
        : {}),
      ...(github && config.github
        ? githubJobHandlers({
            issues: github,
            repository: config.github.repository,
            refs: store.externalRefs,
            record,
          })
        : {}),
    },
    followupJob(followup) {
      if (!github) return null;
      const incident = service.get(followup.incidentId);
      const link = incident.channelId ? `https://slack.com/app_redirect?channel=${incident.channelId}` : null;
      const body = [
        `Follow-up of incident #${incident.id} (${incident.severity}): ${incident.title}`,
        '',
        `- Owner: Slack user ${followup.ownerId}`,
        `- Due: ${followup.dueDate}`,
        ...(link ? [`- Incident channel: ${link}`] : []),
        '',
        'Closing this issue marks the follow-up done in incident-bot and stops its reminders.',
      ].join('\n');
      return githubIssueJob(incident.id, { followupId: followup.id, title: followup.text, body });
    },
    followupForIssue(event) {
      const ref = store.externalRefs.byRemote(
        GITHUB_SYSTEM,
        `${event.repository.full_name}#${event.issue.number}`,
      );
      const id = ref?.localKey.startsWith('followup:') ? Number(ref.localKey.slice('followup:'.length)) : NaN;
      return Number.isInteger(id) ? id : null;
    },
    noteJobs(entry) {
      if (!pagerduty || service.get(entry.incidentId).drill) return [];
      return pagerdutyNoteJobs(entry.incidentId, entry.id, entry.text, pagerdutyIdsOf(entry.incidentId));
    },
    jobsFor(incidentId) {
      const incident = service.get(incidentId);
      const pagerdutyIds = pagerdutyIdsOf(incidentId);
      const over = incident.status === 'resolved' || incident.status === 'closed';
      return [
        ...(pagerduty ? pagerdutyJobsFor(incident, pagerdutyIds) : []),
        ...(publishes(incident) && over && incident.resolvedAt
          ? [statuspageResolveJob(incident.id, incident.resolvedAt, [...components(incident)])]
          : []),
      ];
    },
    publishJob(incident, update) {
      if (!publishes(incident)) return null;
      const body = update.action ? `${update.impact}\n\nWhat we are doing: ${update.action}` : update.impact;
      return statuspageUpdateJob(incident.id, update.entryId, {
        name: incident.title,
        status: update.status,
        body,
        severity: incident.severity,
        components: [...components(incident)],
      });
    },
  };
}
