import { z } from 'zod';
import { type JsonObject, JsonObjectSchema } from './timeline.ts';

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
