import { z } from 'zod';

/** Free-form structured data (timeline details, timer and job payloads), stored as a JSON object. */
export const JsonObjectSchema = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObjectSchema>;

export const TimelineEntrySchema = z.object({
  id: z.number().int(),
  incidentId: z.number().int(),
  at: z.string(),
  /** A Slack user id, or 'bot' / 'system' for what the bot did on its own. */
  actor: z.string(),
  /** declared, status, severity, commander, step_done, check, escalation, flag, update, note, ... */
  kind: z.string(),
  text: z.string(),
  data: JsonObjectSchema.nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export type NewTimelineEntry = Pick<TimelineEntry, 'incidentId' | 'actor' | 'kind' | 'text'> & {
  data?: JsonObject | null;
  /** Defaults to now; set it when recording something that happened earlier (e.g. an alert's start). */
  at?: Date;
};
