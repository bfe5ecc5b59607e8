import { z } from 'zod';
import { type JsonObject, JsonObjectSchema } from './timeline.ts';

/** The scheduler's tick records its heartbeat under this name (store/heartbeats.ts reads the same row). */
export const SCHEDULER_HEARTBEAT = 'scheduler';

/**
 * Every kind of timer the bot plans; the scheduler dispatches on it. Rows keep a plain string (a kind
 * retired by an upgrade is read, marked fired and skipped), so only what is planned is held to this list.
 */
export const TimerKindSchema = z.enum([
  'unclaimed',
  'escalate',
  'runbook_escalate',
  'update_due',
  'exec_brief_due',
  'escalate_repeat',
  'postmortem_reminder',
  'postmortem_overdue',
  'followups_check',
  'store_prune',
  'runbook_review',
  'channel_archive_notice',
  'channel_archive',
]);
export type TimerKind = z.infer<typeof TimerKindSchema>;

export const TimerSchema = z.object({
  id: z.number().int(),
  /** Null for timers that belong to no incident (e.g. a periodic runbook review reminder). */
  incidentId: z.number().int().nullable(),
  /** escalation, status_update, postmortem_reminder, ...: the scheduler dispatches on it. */
  kind: z.string(),
  dueAt: z.string(),
  firedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  /** When a scheduler tick took the timer; equal to firedAt, since a timer is handed out at most once. */
  claimedAt: z.string().nullable(),
  payload: JsonObjectSchema.nullable(),
  createdAt: z.string(),
});
export type Timer = z.infer<typeof TimerSchema>;

export interface NewTimer {
  incidentId: number | null;
  kind: string;
  dueAt: Date;
  payload?: JsonObject | null;
}
