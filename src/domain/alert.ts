import { z } from 'zod';

/**
 * One alert in the shape every source is turned into. `firing` may open an incident, `resolved` is
 * posted where its incident runs, `update` (a PagerDuty acknowledge, note, reassignment) only joins
 * an incident that already exists.
 */
export const NormalizedAlertSchema = z.object({
  source: z.enum(['alertmanager', 'pagerduty', 'generic']),
  /** Alertmanager group key (or fingerprint), PagerDuty incident id, generic dedup_key: one incident each. */
  dedupKey: z.string().min(1),
  /** Identifies this alert within its group, so a repeated delivery is recognised as such. */
  fingerprint: z.string().min(1),
  status: z.enum(['firing', 'resolved', 'update']),
  /** Routes to a runbook through the catalog's alert index. */
  alertname: z.string(),
  /** This alert, in the evidence and on the timeline. */
  title: z.string(),
  /** The incident an alert opens is named for its whole group (Alertmanager: the group's common summary). */
  incidentTitle: z.string(),
  summary: z.string().nullable(),
  description: z.string().nullable(),
  /** The sender's own severity word (PagerDuty urgency, generic severity); null: read the policy's label. */
  severity: z.string().nullable(),
  /** A runbook ID or alert name the sender named explicitly (generic `runbook`). */
  runbook: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  links: z.array(z.object({ text: z.string(), url: z.string() })),
  startsAt: z.string(),
  /** Alerts of the group the sender left out of this delivery (Alertmanager `truncatedAlerts`, max_alerts). */
  truncated: z.number().int().min(0),
  /** What happened, for a PagerDuty update such as `incident.acknowledged`. */
  event: z.string().nullable(),
});
export type NormalizedAlert = z.infer<typeof NormalizedAlertSchema>;
