import { z } from 'zod';
import type { ExternalRef, Job, NewJob } from '../domain/records.ts';
import type { ExternalRefStore } from '../usecases/ports/store.ts';
import {
  type ComponentStatus,
  type StatuspageApi,
  type StatuspageIncident,
  StatuspageStatusSchema,
} from './statuspage.ts';

export const STATUSPAGE_JOBS = { update: 'statuspage.update', resolve: 'statuspage.resolve' } as const;
const SYSTEM = 'statuspage';
const LANE = 'statuspage';

const UpdatePayload = z.object({
  name: z.string(),
  status: StatuspageStatusSchema,
  body: z.string(),
  severity: z.string(),
  components: z.array(z.string()),
});
export type StatuspageUpdate = z.infer<typeof UpdatePayload>;

/** How bad an affected component looks on the page, by the incident's severity. */
export function componentStatus(severity: string, status: string): ComponentStatus {
  if (status === 'resolved') return 'operational';
  if (severity === 'P0') return 'major_outage';
  if (severity === 'P1') return 'partial_outage';
  return 'degraded_performance';
}

const localKey = (incidentId: number) => `incident:${incidentId}`;

/** One status update published: keyed by its timeline entry, so it reaches the page once. */
export function statuspageUpdateJob(incidentId: number, entryId: number, update: StatuspageUpdate): NewJob {
  return {
    incidentId,
    kind: STATUSPAGE_JOBS.update,
    key: `${STATUSPAGE_JOBS.update}:${incidentId}:${entryId}`,
    lane: LANE,
    payload: update,
  };
}

/** Resolving the incident resolves its page incident (if it has one, checked when the job runs). */
export function statuspageResolveJob(incidentId: number, resolvedAt: string, components: string[]): NewJob {
  return {
    incidentId,
    kind: STATUSPAGE_JOBS.resolve,
    key: `${STATUSPAGE_JOBS.resolve}:${incidentId}:${resolvedAt}`,
    lane: LANE,
    payload: { components },
  };
}

export interface StatuspageJobDeps {
  api: StatuspageApi;
  refs: Pick<ExternalRefStore, 'get' | 'record'>;
  record: (incidentId: number, text: string, data: Record<string, unknown>) => Promise<void>;
  /** Queues a message to the incident's channel (`key` makes it once) saying what the page now says. */
  confirm: (incidentId: number, key: string, text: string) => void;
}

function recordRef(
  deps: StatuspageJobDeps,
  incidentId: number,
  found: StatuspageIncident,
): Promise<ExternalRef> {
  return deps.refs.record({
    incidentId,
    system: SYSTEM,
    localKey: localKey(incidentId),
    remoteId: found.id,
    url: found.shortlink ?? null,
  });
}

export function statuspageJobHandlers(deps: StatuspageJobDeps): Record<string, (job: Job) => Promise<void>> {
  const components = async (names: readonly string[], severity: string, status: string) => {
    if (names.length === 0) return {};
    const wanted = new Set(names.map((n) => n.toLowerCase()));
    const found = (await deps.api.components()).filter((c) => wanted.has(c.name.toLowerCase()));
    return Object.fromEntries(found.map((c) => [c.id, componentStatus(severity, status)]));
  };
  return {
    [STATUSPAGE_JOBS.update]: async (job) => {
      const incidentId = job.incidentId ?? 0;
      const update = UpdatePayload.parse(job.payload);
      const change = {
        ...update,
        components: await components(update.components, update.severity, update.status),
      };
      let ref = await deps.refs.get(SYSTEM, localKey(incidentId));
      // A retried create may have made the page incident already, its answer lost: adopt it, not a second one.
      const lost = ref || job.attempts <= 1 ? null : await deps.api.findMarked(incidentId);
      if (lost) ref = await recordRef(deps, incidentId, lost);
      if (!ref) {
        const created = await deps.api.create(change, incidentId);
        const url = created.shortlink ?? null;
        await deps.refs.record({
          incidentId,
          system: SYSTEM,
          localKey: localKey(incidentId),
          remoteId: created.id,
          url,
        });
        await deps.record(incidentId, `Published on Statuspage${url ? `: ${url}` : ''}`, {
          statuspage: created.id,
        });
        return;
      }
      // A retry after a lost answer finds its update already on the page and adds no second one.
      const current = await deps.api.incident(ref.remoteId);
      const latest = current.incident_updates[0];
      if (latest?.body === change.body && latest.status === change.status) return;
      await deps.api.update(ref.remoteId, change);
      await deps.record(incidentId, `Statuspage incident updated (${change.status})`, {
        statuspage: ref.remoteId,
      });
    },
    [STATUSPAGE_JOBS.resolve]: async (job) => {
      const incidentId = job.incidentId ?? 0;
      const ref = await deps.refs.get(SYSTEM, localKey(incidentId));
      if (!ref) return;
      const current = await deps.api.incident(ref.remoteId);
      if (current.status === 'resolved') return;
      const names = z.object({ components: z.array(z.string()) }).parse(job.payload).components;
      await deps.api.update(ref.remoteId, {
        status: 'resolved',
        body: 'This incident has been resolved.',
        components: await components(names, '', 'resolved'),
      });
      await deps.record(incidentId, 'Statuspage incident resolved', { statuspage: ref.remoteId });
      deps.confirm(
        incidentId,
        job.key,
        `:white_check_mark: The status page incident is resolved${ref.url ? `: ${ref.url}` : ''}.`,
      );
    },
  };
}
