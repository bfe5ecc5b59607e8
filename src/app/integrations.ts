import type { Config } from '../config.ts';
import type { Incident } from '../domain/incident.ts';
import type { Followup, Job, NewJob } from '../domain/records.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import { IntegrationError } from '../integrations/errors.ts';
import { GitHubIssues } from '../integrations/github.ts';
import type { IssuesEvent } from '../integrations/githubWebhook.ts';
import { JiraTracker } from '../integrations/jira.ts';
import { PagerDutyApi } from '../integrations/pagerduty.ts';
import { pagerdutyJobHandlers, pagerdutyJobsFor, pagerdutyNoteJobs } from '../integrations/pagerdutyJobs.ts';
import { PAGING_JOBS, pagingJobHandlers, pagingJobsFor } from '../integrations/pagerdutyPaging.ts';
import { StatuspageApi } from '../integrations/statuspage.ts';
import {
  statuspageJobHandlers,
  statuspageResolveJob,
  statuspageUpdateJob,
} from '../integrations/statuspageJobs.ts';
import { type StatuspagePreview, statuspageBody } from '../integrations/statuspageText.ts';
import {
  followupOf,
  type IssueTracker,
  trackerIssueJob,
  trackerJobHandlers,
} from '../integrations/tracker.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { StorePort } from '../usecases/ports/store.ts';

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
  jobsFor(incidentId: number): Promise<NewJob[]>;
  /** The job that publishes a status update, or null when no status page is configured or it must not publish. */
  publishJob(incident: Incident, update: PublishedUpdate): NewJob | null;
  /** What a status update would put on the status page, or null when this incident never publishes. */
  statusPreview(incident: Incident, update: Omit<PublishedUpdate, 'entryId'>): StatuspagePreview | null;
  /** The jobs that send a pinned timeline message to the paging tool as a note. */
  noteJobs(entry: TimelineEntry): Promise<NewJob[]>;
  /** The pages the incident's latest escalation calls for (targets with `pagerduty:` in policy.yml). */
  escalated(incidentId: number): Promise<NewJob[]>;
  /** The job that files a follow-up in the tracker, or null when none is configured. */
  followupJob(followup: Followup): Promise<NewJob | null>;
  /** The follow-up a closed GitHub issue stands for, if it is one of ours. */
  followupForIssue(event: IssuesEvent): Promise<number | null>;
  /** The follow-up a Jira issue (by key) stands for, if it is one of ours. */
  followupForJiraIssue(key: string): Promise<number | null>;
}

/** A vendor failure worth retrying (5xx, 429, network); a refused request would fail again. */
export function isRetryableIntegrationError(error: unknown): boolean {
  return error instanceof IntegrationError && error.retryable;
}

/** Builds the configured integrations: each is off (no handlers, no jobs) unless its variables are set. */
export function wireIntegrations(deps: {
  config: Config;
  store: StorePort;
  service: IncidentService;
  runbooks: () => RunbookSet;
  now?: () => Date;
  statuspageIntervalMs?: number | undefined;
  /** Queues a short confirmation to the incident's channel; `key` makes it once. */
  post: (incidentId: number, key: string, text: string) => void;
}): IntegrationWiring {
  const { config, store, service } = deps;
  const record = async (incidentId: number, text: string, data: Record<string, unknown>) => {
    await service.note(incidentId, 'bot', 'integration', text, data);
  };
  const pagerduty = config.pagerduty ? new PagerDutyApi(config.pagerduty) : null;
  const statuspage = config.statuspage
    ? new StatuspageApi(config.statuspage, globalThis.fetch, deps.statuspageIntervalMs)
    : null;
  // One tracker files follow-ups: Jira when it is configured, else GitHub (doctor says which).
  const tracker: IssueTracker | null = config.jira
    ? new JiraTracker(config.jira)
    : config.github
      ? new GitHubIssues(config.github)
      : null;
  const components = (incident: Incident) =>
    (incident.runbookId && deps.runbooks().catalog.byId(incident.runbookId)?.meta.components) || [];
  const pagerdutyIdsOf = async (incidentId: number) => [
    ...new Set(
      (await store.alertLinks.listForIncident(incidentId))
        .filter((link) => link.source === 'pagerduty')
        .map((link) => link.dedupKey),
    ),
  ];
  // The policy, when one of its targets pages PagerDuty; null spares reading timelines for nothing.
  const pages = () => {
    const policy = deps.runbooks().policy;
    return Object.values(policy.targets).some((t) => t.pagerduty) ? policy : null;
  };
  const channelLink = (incident: Incident) =>
    incident.channelId ? `https://slack.com/app_redirect?channel=${incident.channelId}` : null;
  // Private incidents and drills never reach an audience outside their channel.
  const publishes = (incident: Incident) => statuspage !== null && !incident.private && !incident.drill;
  return {
    handlers: {
      // Paging needs only the routing keys in policy.yml, not a REST API token.
      ...pagingJobHandlers({
        eventsUrl: config.pagerdutyEventsUrl,
        policy: () => deps.runbooks().policy,
        incident: (id) => service.get(id),
        channelLink,
        record,
      }),
      ...(pagerduty ? pagerdutyJobHandlers({ api: pagerduty, record }) : {}),
      ...(statuspage
        ? statuspageJobHandlers({ api: statuspage, refs: store.externalRefs, record, confirm: deps.post })
        : {}),
      ...(tracker ? trackerJobHandlers({ tracker, refs: store.externalRefs, record }) : {}),
    },
    async escalated(incidentId) {
      const policy = pages();
      const latest = await store.timeline.last(incidentId, 'escalation');
      if (!policy || !latest) return [];
      return pagingJobsFor(await service.get(incidentId), [latest], policy).filter(
        (j) => j.kind === PAGING_JOBS.page,
      );
    },
    async followupJob(followup) {
      if (!tracker) return null;
      const incident = await service.get(followup.incidentId);
      const link = channelLink(incident);
      const body = [
        `Follow-up of incident #${incident.id} (${incident.severity}): ${incident.title}`,
        '',
        `- Owner: Slack user ${followup.ownerId}`,
        `- Due: ${followup.dueDate}`,
        ...(link ? [`- Incident channel: ${link}`] : []),
        '',
        'Closing this issue marks the follow-up done in incident-bot and stops its reminders.',
      ].join('\n');
      const issue = { followupId: followup.id, title: followup.text, body, dueDate: followup.dueDate };
      return trackerIssueJob(tracker.system, incident.id, issue, deps.now?.() ?? new Date());
    },
    followupForIssue(event) {
      return followupOf(store.externalRefs, 'github', `${event.repository.full_name}#${event.issue.number}`);
    },
    followupForJiraIssue(key) {
      return followupOf(store.externalRefs, 'jira', key);
    },
    async noteJobs(entry) {
      if (!pagerduty || (await service.get(entry.incidentId)).drill) return [];
      const ids = await pagerdutyIdsOf(entry.incidentId);
      return pagerdutyNoteJobs(entry.incidentId, entry.id, entry.text, ids);
    },
    async jobsFor(incidentId) {
      const incident = await service.get(incidentId);
      const pagerdutyIds = await pagerdutyIdsOf(incidentId);
      const over = incident.status === 'resolved' || incident.status === 'closed';
      const paging = over ? pages() : null;
      return [
        ...(pagerduty ? pagerdutyJobsFor(incident, pagerdutyIds) : []),
        // The resolve of each page sent; the pages themselves are queued by escalated().
        ...(paging ? pagingJobsFor(incident, await store.timeline.list(incidentId), paging) : []),
        ...(publishes(incident) && over && incident.resolvedAt
          ? [statuspageResolveJob(incident.id, incident.resolvedAt, [...components(incident)])]
          : []),
      ];
    },
    publishJob(incident, update) {
      if (!publishes(incident)) return null;
      const preview = this.statusPreview(incident, update);
      if (!preview) return null;
      return statuspageUpdateJob(incident.id, update.entryId, { ...preview, severity: incident.severity });
    },
    statusPreview(incident, update) {
      if (!publishes(incident)) return null;
      return {
        name: incident.title,
        status: update.status,
        body: statuspageBody(update),
        components: [...components(incident)],
      };
    },
  };
}
