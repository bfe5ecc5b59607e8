import { z } from 'zod';
import type { Job, NewJob } from '../domain/records.ts';
import type { ExternalRefStore } from '../usecases/ports/store.ts';

/** A follow-up as the tracker files it. */
export const FollowupIssueSchema = z.object({
  followupId: z.number().int(),
  title: z.string(),
  /** Plain text, one fact a line: the incident, owner, due date and the link back to the channel. */
  body: z.string(),
  /** YYYY-MM-DD, the follow-up's due date, for trackers with a due-date field. */
  dueDate: z.string().nullable(),
  /** When the job was queued: an earlier try's issue is not older than this. */
  since: z.string(),
});
export type FollowupIssue = z.infer<typeof FollowupIssueSchema>;

/** The issue a follow-up was filed as: `owner/repo#12` or `OPS-42`, and where to open it. */
export interface TrackerIssue {
  ref: string;
  url: string;
}

/**
 * The issue tracker port: GitHub Issues or Jira Cloud. `file` is safe to repeat: it finds the issue an earlier
 * try created (a marker the tracker can search for) before creating one.
 */
export interface IssueTracker {
  readonly system: string;
  file(issue: FollowupIssue): Promise<TrackerIssue>;
}

export const followupKey = (followupId: number) => `followup:${followupId}`;

/** The job kind of a tracker: `github.issue`, `jira.issue`. */
export const trackerJobKind = (system: string) => `${system}.issue`;

/** A follow-up filed as an issue: keyed by the follow-up, so it is filed once. */
export function trackerIssueJob(
  system: string,
  incidentId: number,
  issue: Omit<FollowupIssue, 'since'>,
  now: Date,
): NewJob {
  const kind = trackerJobKind(system);
  return {
    incidentId,
    kind,
    key: `${kind}:${issue.followupId}`,
    lane: 'tracker',
    // A minute of slack for clocks that disagree: the marker search starts before the first try.
    payload: { ...issue, since: new Date(now.getTime() - 60_000).toISOString() },
  };
}

export interface TrackerJobDeps {
  tracker: IssueTracker;
  refs: Pick<ExternalRefStore, 'get' | 'record'>;
  record: (incidentId: number, text: string, data: Record<string, unknown>) => Promise<void>;
}

export function trackerJobHandlers(deps: TrackerJobDeps): Record<string, (job: Job) => Promise<void>> {
  const { tracker } = deps;
  return {
    [trackerJobKind(tracker.system)]: async (job) => {
      const incidentId = job.incidentId ?? 0;
      const parsed = FollowupIssueSchema.partial({ since: true, dueDate: true }).parse(job.payload);
      const issue: FollowupIssue = {
        ...parsed,
        dueDate: parsed.dueDate ?? null,
        since: parsed.since ?? new Date(Date.parse(job.createdAt) - 60_000).toISOString(),
      };
      if (await deps.refs.get(tracker.system, followupKey(issue.followupId))) return;
      const filed = await tracker.file(issue);
      await deps.refs.record({
        incidentId,
        system: tracker.system,
        localKey: followupKey(issue.followupId),
        remoteId: filed.ref,
        url: filed.url,
      });
      await deps.record(incidentId, `Follow-up filed as ${filed.ref}: ${filed.url}`, {
        followupId: issue.followupId,
        issue: filed.ref,
        tracker: tracker.system,
      });
    },
  };
}

/** The follow-up an issue stands for, if it is one the bot filed. */
export async function followupOf(
  refs: Pick<ExternalRefStore, 'byRemote'>,
  system: string,
  ref: string,
): Promise<number | null> {
  const local = (await refs.byRemote(system, ref))?.localKey ?? '';
  const id = local.startsWith('followup:') ? Number(local.slice('followup:'.length)) : Number.NaN;
  return Number.isInteger(id) ? id : null;
}
