import { z } from 'zod';
import type { Incident } from '../domain/incident.ts';
import type { Policy } from '../domain/policy.ts';
import type { Job, NewJob } from '../domain/records.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import { type EventSeverity, PagerDutyEvents } from './pagerdutyEvents.ts';

export const PAGING_JOBS = { page: 'pagerduty.page', unpage: 'pagerduty.unpage' } as const;

const SEVERITY: Record<string, EventSeverity> = { P0: 'critical', P1: 'error', P2: 'warning', P3: 'info' };

/** One alert per incident and target: a later escalation to the same target joins it in PagerDuty. */
export function pageDedupKey(incidentId: number, target: string): string {
  return `incident-bot-${incidentId}-${target}`;
}

const EscalationData = z.looseObject({ targets: z.array(z.string()).default([]) });
const PagePayload = z.object({ target: z.string().min(1), entryId: z.number().int(), reason: z.string() });
const UnpagePayload = z.object({ target: z.string().min(1) });

/** Each escalation entry's targets that name a PagerDuty service. */
function pagedTargets(entries: readonly TimelineEntry[], policy: Policy) {
  return entries.flatMap((entry) => {
    if (entry.kind !== 'escalation') return [];
    const data = EscalationData.safeParse(entry.data ?? {});
    const keys = data.success ? data.data.targets : [];
    return keys.filter((key) => policy.targets[key]?.pagerduty).map((target) => ({ entry, target }));
  });
}

/**
 * The pages an incident's escalations call for: one job per escalation entry and PagerDuty target, so asking
 * again after every change queues nothing new; once it is resolved, one resolve per paged target.
 */
export function pagingJobsFor(
  incident: Incident,
  entries: readonly TimelineEntry[],
  policy: Policy,
): NewJob[] {
  if (incident.drill) return [];
  const paged = pagedTargets(entries, policy);
  const jobs: NewJob[] = paged.map(({ entry, target }) => ({
    incidentId: incident.id,
    kind: PAGING_JOBS.page,
    key: `${PAGING_JOBS.page}:${incident.id}:${target}:${entry.id}`,
    lane: 'pagerduty',
    payload: { target, entryId: entry.id, reason: entry.text },
  }));
  const over = incident.status === 'resolved' || incident.status === 'closed';
  if (!over || !incident.resolvedAt) return jobs;
  for (const target of new Set(paged.map((p) => p.target)))
    jobs.push({
      incidentId: incident.id,
      kind: PAGING_JOBS.unpage,
      key: `${PAGING_JOBS.unpage}:${incident.id}:${target}:${incident.resolvedAt}`,
      lane: 'pagerduty',
      payload: { target },
    });
  return jobs;
}

export interface PagingDeps {
  eventsUrl: string;
  policy: () => Policy;
  incident: (id: number) => Promise<Incident>;
  /** A link back to the incident's Slack channel, when it has one. */
  channelLink: (incident: Incident) => string | null;
  record: (incidentId: number, text: string, data: Record<string, unknown>) => Promise<void>;
}

/** A target no longer in policy.yml (or no longer paging) cannot be paged: a refusal, not worth retrying. */
function targetOf(policy: Policy, key: string) {
  const target = policy.targets[key];
  if (!target?.pagerduty)
    throw new Error(
      `escalation target "${key}" has no pagerduty: routing_key in policy.yml any more: add it back and reload, or ignore this page`,
    );
  return { ...target, pagerduty: target.pagerduty };
}

export function pagingJobHandlers(deps: PagingDeps): Record<string, (job: Job) => Promise<void>> {
  const events = new PagerDutyEvents(deps.eventsUrl);
  return {
    [PAGING_JOBS.page]: async (job) => {
      const { target: key, reason } = PagePayload.parse(job.payload);
      if (job.incidentId === null) return;
      const incident = await deps.incident(job.incidentId);
      const target = targetOf(deps.policy(), key);
      const link = deps.channelLink(incident);
      const dedupKey = pageDedupKey(incident.id, key);
      await events.trigger({
        routingKey: target.pagerduty.routing_key,
        dedupKey,
        summary: `[${incident.severity}] Incident #${incident.id}: ${incident.title}`,
        severity: SEVERITY[incident.severity] ?? 'error',
        details: {
          incident: incident.id,
          severity: incident.severity,
          status: incident.status,
          escalation: reason,
        },
        links: link ? [{ href: link, text: `Slack channel of incident #${incident.id}` }] : [],
      });
      const where = target.pagerduty.service ?? target.pagerduty.escalation_policy ?? target.label;
      await deps.record(incident.id, `Paged ${target.label} in PagerDuty (${where})`, {
        target: key,
        dedupKey,
      });
    },
    [PAGING_JOBS.unpage]: async (job) => {
      const { target: key } = UnpagePayload.parse(job.payload);
      if (job.incidentId === null) return;
      const target = targetOf(deps.policy(), key);
      await events.resolve(target.pagerduty.routing_key, pageDedupKey(job.incidentId, key));
      await deps.record(job.incidentId, `Resolved the page to ${target.label} in PagerDuty`, { target: key });
    },
  };
}
