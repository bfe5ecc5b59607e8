import { z } from 'zod';
import { header, type IntakeSource, type NormalizedAlert, parseJson } from './alert.ts';
import { checkPagerDutySignature } from './auth.ts';

const Reference = z.looseObject({
  id: z.string().optional(),
  summary: z.string().optional(),
  html_url: z.string().optional(),
});

/** PagerDuty V3 webhook: one event per delivery. Unknown fields are accepted: PagerDuty adds them over time. */
export const PagerDutyPayloadSchema = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string(),
    occurred_at: z.string(),
    agent: Reference.nullable().optional(),
    client: z.looseObject({ name: z.string().optional() }).nullable().optional(),
    data: z.looseObject({
      id: z.string().min(1),
      type: z.string(),
      title: z.string().optional(),
      number: z.number().optional(),
      status: z.string().optional(),
      urgency: z.string().optional(),
      html_url: z.string().optional(),
      service: Reference.nullable().optional(),
      /** Who the incident is assigned to now: the news of an incident.reassigned event. */
      assignees: z.array(Reference).nullable().optional(),
      priority: Reference.nullable().optional(),
      /** Set on incident_note and similar sub-resources: the incident the event is about. */
      incident: Reference.nullable().optional(),
      content: z.string().optional(),
      /** The incident body, when PagerDuty includes it: custom details of the event that opened it. */
      body: z.looseObject({ details: z.unknown().optional() }).nullable().optional(),
    }),
  }),
});
export type PagerDutyPayload = z.infer<typeof PagerDutyPayloadSchema>;

/** Event types that mean "this incident is (again) a page"; resolved closes; anything else is an update. */
const FIRING = new Set(['incident.triggered', 'incident.reopened']);
const RESOLVED = new Set(['incident.resolved']);

/** "[FIRING:1] PostgresConnectionPoolHigh (prod payments-db)": how PagerDuty titles Alertmanager events. */
const ALERTMANAGER_TITLE = /^\[(?:FIRING|RESOLVED)(?::\d+)?\]\s+([^\s(]+)/i;

/**
 * The alert name to route on: the custom details' alertname (Alertmanager and most monitors send one),
 * else the first word of an Alertmanager-style title, else the whole title.
 */
export function pagerdutyAlertName(title: string, details: unknown): string {
  if (typeof details === 'object' && details !== null) {
    const named = (details as Record<string, unknown>).alertname;
    if (typeof named === 'string' && named.trim()) return named.trim();
  }
  return ALERTMANAGER_TITLE.exec(title.trim())?.[1] ?? title;
}

export const pagerduty: IntakeSource<PagerDutyPayload> = {
  source: 'pagerduty',
  authenticate: (headers, rawBody, config) =>
    checkPagerDutySignature(headers, rawBody, config.pagerdutyWebhookSecret),
  parse: (rawBody) => parseJson(PagerDutyPayloadSchema, rawBody),
  deliveryId: (headers, payload) => header(headers, 'x-webhook-id') ?? payload.event.id,
  toAlerts({ event }) {
    const { data } = event;
    const incidentId = data.type === 'incident' ? data.id : data.incident?.id;
    // Service-level events (service.created, ...) are about no incident: accepted, nothing to do.
    if (!incidentId) return [];
    const title = data.title ?? data.incident?.summary ?? `PagerDuty incident ${incidentId}`;
    const status = FIRING.has(event.event_type)
      ? 'firing'
      : RESOLVED.has(event.event_type)
        ? 'resolved'
        : 'update';
    const labels: Record<string, string> = { event_type: event.event_type, incident_id: incidentId };
    if (data.urgency) labels.urgency = data.urgency;
    if (data.service?.summary) labels.service = data.service.summary;
    if (data.priority?.summary) labels.priority = data.priority.summary;
    if (data.status) labels.status = data.status;
    if (event.agent?.summary) labels.agent = event.agent.summary;
    const assignees = (data.assignees ?? []).map((a) => a.summary).filter((name) => name);
    if (assignees.length) labels.assignees = assignees.join(', ');
    const htmlUrl = data.html_url ?? data.incident?.html_url;
    const alert: NormalizedAlert = {
      source: 'pagerduty',
      dedupKey: incidentId,
      fingerprint: event.id,
      status,
      alertname: pagerdutyAlertName(title, data.body?.details),
      title,
      incidentTitle: title,
      summary: data.content ?? null,
      description: null,
      // A PagerDuty priority (P1..P5) is the team's own judgement; urgency is the fallback.
      severity: data.priority?.summary ?? data.urgency ?? null,
      runbook: null,
      labels,
      annotations: {},
      links: [
        ...(htmlUrl ? [{ text: 'PagerDuty incident', url: htmlUrl }] : []),
        ...(data.service?.html_url ? [{ text: 'Service', url: data.service.html_url }] : []),
      ],
      startsAt: event.occurred_at,
      truncated: 0,
      event: event.event_type,
    };
    return [alert];
  },
};
