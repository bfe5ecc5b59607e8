import { z } from 'zod';
import { IncidentStatusSchema } from './incidentState.ts';
import { SeveritySchema } from './severity.ts';

/** Where a page came from; each has its own payload format and dedup key. */
export const AlertSourceSchema = z.enum(['alertmanager', 'pagerduty', 'generic']);
export type AlertSource = z.infer<typeof AlertSourceSchema>;

export const IncidentSourceSchema = z.enum(['slash', 'modal', ...AlertSourceSchema.options]);
export type IncidentSource = z.infer<typeof IncidentSourceSchema>;

export const IncidentSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string(),
  severity: SeveritySchema,
  status: IncidentStatusSchema,
  private: z.boolean(),
  drill: z.boolean(),
  runbookId: z.string().nullable(),
  commanderId: z.string().nullable(),
  declaredBy: z.string(),
  source: IncidentSourceSchema,
  channelId: z.string().nullable(),
  channelName: z.string().nullable(),
  /** Channel creation failed, so the incident runs in the announce channel (`channelId`). */
  inFallback: z.boolean(),
  /** The pinned header message in the incident channel. */
  headerTs: z.string().nullable(),
  declaredAt: z.string(),
  /** When users were first hurt, and when someone first knew: set by hand, null until then. */
  impactStartedAt: z.string().nullable(),
  detectedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  /** When the impact stopped (a workaround, a rollback), before the cause is fixed: set by hand. */
  mitigatedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  updatedAt: z.string(),
  /** 1, 2, 3, ... within the UTC day of `declaredAt`, for channel names like `inc-20261122-3-db-down`. */
  daySeq: z.number().int(),
});
export type Incident = z.infer<typeof IncidentSchema>;

/** What response-time figures read of an incident: its id, severity and milestone times. */
export const IncidentTimesSchema = IncidentSchema.pick({
  id: true,
  severity: true,
  declaredAt: true,
  impactStartedAt: true,
  detectedAt: true,
  acknowledgedAt: true,
  mitigatedAt: true,
  resolvedAt: true,
});
export type IncidentTimes = z.infer<typeof IncidentTimesSchema>;

export type NewIncident = Pick<Incident, 'title' | 'severity' | 'declaredBy' | 'source'> &
  Partial<
    Pick<
      Incident,
      'description' | 'private' | 'drill' | 'runbookId' | 'commanderId' | 'channelId' | 'channelName'
    >
  >;

/** Status and its timestamps change only through setStatus/acknowledge, which keep them consistent. */
export const INCIDENT_PATCHABLE = [
  'title',
  'description',
  'severity',
  'private',
  'runbookId',
  'commanderId',
  'channelId',
  'channelName',
  'inFallback',
  'headerTs',
] as const satisfies readonly (keyof Incident)[];
export type IncidentPatchable = (typeof INCIDENT_PATCHABLE)[number];
export type IncidentPatch = Partial<Pick<Incident, IncidentPatchable>>;

/** Which open incident an alert group belongs to, so repeated pages join it instead of opening another. */
export const AlertLinkSchema = z.object({
  id: z.number().int(),
  source: AlertSourceSchema,
  /** Alertmanager group key, PagerDuty incident id, or the generic payload's dedup key. */
  dedupKey: z.string(),
  incidentId: z.number().int(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type AlertLink = z.infer<typeof AlertLinkSchema>;
export type NewAlertLink = Pick<AlertLink, 'source' | 'dedupKey' | 'incidentId'>;
