import { z } from 'zod';
import type { ExternalRef, Job, NewExternalRef, NewJob } from '../domain/records.ts';
import type { GitHubIssues } from './github.ts';

export const GITHUB_JOBS = { issue: 'github.issue' } as const;
export const GITHUB_SYSTEM = 'github';

const IssuePayload = z.object({
  followupId: z.number().int(),
  title: z.string(),
  body: z.string(),
});

export const followupKey = (followupId: number) => `followup:${followupId}`;

/** A follow-up filed as an issue: keyed by the follow-up, so it is filed once. */
export function githubIssueJob(
  incidentId: number,
  issue: { followupId: number; title: string; body: string },
): NewJob {
  return {
    incidentId,
    kind: GITHUB_JOBS.issue,
    key: `${GITHUB_JOBS.issue}:${issue.followupId}`,
    lane: 'tracker',
    payload: issue,
  };
}

export interface GitHubJobDeps {
  issues: GitHubIssues;
  repository: string;
  refs: { get(system: string, key: string): ExternalRef | null; record(ref: NewExternalRef): ExternalRef };
  record: (incidentId: number, text: string, data: Record<string, unknown>) => void;
}

export function githubJobHandlers(deps: GitHubJobDeps): Record<string, (job: Job) => Promise<void>> {
  return {
    [GITHUB_JOBS.issue]: async (job) => {
      const incidentId = job.incidentId ?? 0;
      const { followupId, title, body } = IssuePayload.parse(job.payload);
      if (deps.refs.get(GITHUB_SYSTEM, followupKey(followupId))) return;
      const created = await deps.issues.create({
        title,
        body,
        marker: `<!-- incident-bot follow-up ${followupId} -->`,
        since: new Date(Date.parse(job.createdAt) - 60_000).toISOString(),
      });
      deps.refs.record({
        incidentId,
        system: GITHUB_SYSTEM,
        localKey: followupKey(followupId),
        remoteId: `${deps.repository}#${created.number}`,
        url: created.url,
      });
      deps.record(incidentId, `Follow-up filed as ${deps.repository}#${created.number}: ${created.url}`, {
        followupId,
        issue: created.number,
      });
    },
  };
}
