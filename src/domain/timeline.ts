import { z } from 'zod';

/** Free-form structured data (timeline details, timer and job payloads), stored as a JSON object. */
export const JsonObjectSchema = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObjectSchema>;

/** What a timeline entry records: every writer names one of these, every reader matches on them. */
export const TimelineKindSchema = z.enum([
  'declared',
  'runbook',
  'channel',
  'channel_fallback',
  'invite_skipped',
  'status',
  'severity',
  'commander',
  'resolved',
  'refused',
  'flag',
  'escalation',
  'escalation_ack',
  'pin',
  'note',
  'external_ack',
  'external_resolve',
  'external_reassign',
  'check',
  'check_cleared',
  'alert',
  'alert_repeat',
  'page',
  'storm_join',
  'integration',
  'postmortem_draft',
  'postmortem_scheduled',
  'postmortem_done',
  'postmortem_reminder',
  'followup',
  'followup_done',
  'phase_chosen',
  'reminder',
  'repage',
  'status_update',
  'exec_brief',
  'step_done',
  'step_skipped',
  'step_reopened',
  'option_chosen',
  'jump',
  'warning_shown',
  'diagnostics',
  'remediation',
  'remediation_refused',
  'remediation_approved',
  'remediation_run',
  'reminder_snoozed',
  'reminder_stopped',
  'archive_scheduled',
  'channel_archived',
  'archive_failed',
  'runbook_switched',
  'step_added',
  'step_assigned',
  'time_set',
]);
export type TimelineKind = z.infer<typeof TimelineKindSchema>;

export const TimelineEntrySchema = z.object({
  id: z.number().int(),
  incidentId: z.number().int(),
  at: z.string(),
  /** A Slack user id, or 'bot' / 'system' for what the bot did on its own. */
  actor: z.string(),
  kind: TimelineKindSchema,
  text: z.string(),
  data: JsonObjectSchema.nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export type NewTimelineEntry = Pick<TimelineEntry, 'incidentId' | 'actor' | 'kind' | 'text'> & {
  data?: JsonObject | null;
  /** Defaults to now; set it when recording something that happened earlier (e.g. an alert's start). */
  at?: Date;
  /**
   * Written at most once per key: a second append with the same key returns the first entry. A timer's
   * firing sets it, so a firing repeated after a takeover records nothing twice.
   */
  onceKey?: string;
};
