import { z } from 'zod';
import type { Incident } from '../domain/incident.ts';
import type { Job, NewJob } from '../domain/records.ts';
import type { PagerDutyApi } from './pagerduty.ts';

export const PAGERDUTY_JOBS = { status: 'pagerduty.status', note: 'pagerduty.note' } as const;

const NotePayload = z.object({ pagerdutyIncident: z.string().min(1), content: z.string().min(1) });

/** A message pinned to the timeline goes to each PagerDuty incident of the incident as a note, once. */
export function pagerdutyNoteJobs(
  incidentId: number,
  entryId: number,
  content: string,
  pagerdutyIncidents: readonly string[],
): NewJob[] {
  return pagerdutyIncidents.map((id) => ({
    incidentId,
    kind: PAGERDUTY_JOBS.note,
    key: `${PAGERDUTY_JOBS.note}:${entryId}:${id}`,
    lane: 'pagerduty',
    payload: { pagerdutyIncident: id, content: content.slice(0, 25_000) },
  }));
}

const StatusPayload = z.object({
  pagerdutyIncident: z.string().min(1),
  status: z.enum(['acknowledged', 'resolved']),
});

/**
 * What PagerDuty should know of an incident opened by its pages: acknowledged once someone acknowledged or
 * took command in Slack, resolved once it is resolved. Each key names the state it brings PagerDuty to, so
 * asking again after every change queues nothing new; a reopened and resolved-again incident gets a new one.
 */
export function pagerdutyJobsFor(incident: Incident, pagerdutyIncidents: readonly string[]): NewJob[] {
  if (incident.drill) return [];
  const over = incident.status === 'resolved' || incident.status === 'closed';
  const wanted = over
    ? { status: 'resolved' as const, since: incident.resolvedAt ?? '' }
    : incident.acknowledgedAt || incident.commanderId
      ? { status: 'acknowledged' as const, since: '' }
      : null;
  if (!wanted) return [];
  return pagerdutyIncidents.map((id) => ({
    incidentId: incident.id,
    kind: PAGERDUTY_JOBS.status,
    key: `${PAGERDUTY_JOBS.status}:${incident.id}:${id}:${wanted.status}${wanted.since ? `:${wanted.since}` : ''}`,
    lane: 'pagerduty',
    payload: { pagerdutyIncident: id, status: wanted.status },
  }));
}

export interface PagerDutyJobDeps {
  api: PagerDutyApi;
  /** Records on the incident's timeline what PagerDuty was told. */
  record: (incidentId: number, text: string, data: Record<string, unknown>) => Promise<void>;
}

export function pagerdutyJobHandlers(deps: PagerDutyJobDeps): Record<string, (job: Job) => Promise<void>> {
  return {
    [PAGERDUTY_JOBS.note]: async (job) => {
      const { pagerdutyIncident, content } = NotePayload.parse(job.payload);
      await deps.api.addNote(pagerdutyIncident, content);
    },
    [PAGERDUTY_JOBS.status]: async (job) => {
      const { pagerdutyIncident, status } = StatusPayload.parse(job.payload);
      const outcome = await deps.api.setStatus(pagerdutyIncident, status);
      if (outcome === 'changed' && job.incidentId !== null)
        await deps.record(job.incidentId, `PagerDuty incident ${pagerdutyIncident} ${status}`, {
          pagerdutyIncident,
          status,
        });
    },
  };
}
