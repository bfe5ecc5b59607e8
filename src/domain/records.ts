import { z } from 'zod';
import { AlertSourceSchema } from './incident.ts';
import { JsonObjectSchema } from './timeline.ts';

// The records the bot keeps beside incidents: pages received, Slack side effects queued, links to other
// systems, post-mortems and follow-ups. The store persists them; these schemas say what they are.

export const InboxStatusSchema = z.enum(['pending', 'done', 'failed']);
export type InboxStatus = z.infer<typeof InboxStatusSchema>;

export const InboxItemSchema = z.object({
  id: z.number().int(),
  source: AlertSourceSchema,
  /** The sender's id for this delivery (e.g. X-Webhook-Id); a redelivery carries the same one. */
  deliveryId: z.string().nullable(),
  dedupKey: z.string().nullable(),
  receivedAt: z.string(),
  rawBody: z.string(),
  headers: z.record(z.string(), z.string()),
  /**
   * pending: waiting or being processed; done; failed: the last attempt failed, and it is retried at
   * nextAttemptAt, or never if that is null.
   */
  status: InboxStatusSchema,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  processedAt: z.string().nullable(),
  incidentId: z.number().int().nullable(),
  /** The body's sha256: identical deliveries share one stored body (inbox_bodies). */
  bodyHash: z.string().nullable(),
});
export type InboxItem = z.infer<typeof InboxItemSchema>;

export type NewInboxItem = Pick<InboxItem, 'source' | 'rawBody'> &
  Partial<Pick<InboxItem, 'deliveryId' | 'dedupKey' | 'headers'>>;

export const JobStatusSchema = z.enum(['queued', 'done', 'failed']);

export const JobSchema = z.object({
  id: z.number().int(),
  incidentId: z.number().int().nullable(),
  kind: z.string(),
  /** Enqueuing a job whose key exists already does nothing: each side effect is queued once. */
  key: z.string(),
  /** Ordering: a job waits for earlier jobs of its lane and of the 'main' lane of its incident. */
  lane: z.string(),
  payload: JsonObjectSchema,
  /** queued: waiting, retrying or running (claimed); done; failed: failed for good. */
  status: JobStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  claimedBy: z.string().nullable(),
  leaseUntil: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof JobSchema>;
export type NewJob = Pick<Job, 'incidentId' | 'kind' | 'key'> & {
  payload?: Job['payload'];
  lane?: string;
};

export interface ClaimRequest {
  owner: string;
  leaseMs: number;
  limit: number;
  /** Only this incident's next job (the declare path runs its own jobs at once). */
  incidentId?: number;
  /** Jobs this process is still running: never claimed again by it, even once their lease lapsed. */
  skip?: readonly number[];
}

export interface JobCounts {
  /** Waiting to run for the first time, or running. */
  queued: number;
  /** Failed at least once and waiting for their next attempt. */
  retrying: number;
  failed: number;
}

export const ExternalRefSchema = z.object({
  id: z.number().int(),
  incidentId: z.number().int(),
  /** statuspage, github, jira. */
  system: z.string(),
  /** What it stands for here: `incident:12` for a Statuspage incident, `followup:7` for an issue. */
  localKey: z.string(),
  remoteId: z.string(),
  url: z.string().nullable(),
  createdAt: z.string(),
});
export type ExternalRef = z.infer<typeof ExternalRefSchema>;
export type NewExternalRef = Pick<ExternalRef, 'incidentId' | 'system' | 'localKey' | 'remoteId' | 'url'>;

export const PostmortemSchema = z.object({
  incidentId: z.number().int(),
  dueAt: z.string(),
  documentUrl: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Postmortem = z.infer<typeof PostmortemSchema>;

export const FollowupSchema = z.object({
  id: z.number().int(),
  incidentId: z.number().int(),
  text: z.string(),
  ownerId: z.string(),
  /** YYYY-MM-DD in the team's time zone. */
  dueDate: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
  lastRemindedAt: z.string().nullable(),
});
export type Followup = z.infer<typeof FollowupSchema>;
export type NewFollowup = Pick<Followup, 'incidentId' | 'text' | 'ownerId' | 'dueDate' | 'createdBy'>;

/** The bot's Slack identity as last confirmed by auth.test, so a restart during a Slack outage can start. */
export const BotIdentitySchema = z.object({ userId: z.string(), botId: z.string(), checkedAt: z.string() });
export type BotIdentity = z.infer<typeof BotIdentitySchema>;
