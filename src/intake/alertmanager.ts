import { z } from 'zod';
import { digest, type IntakeSource, type NormalizedAlert, parseJson } from './alert.ts';
import { checkToken } from './auth.ts';

const Strings = z.record(z.string(), z.string());

/** Alertmanager's webhook payload, version 4. Fields Alertmanager adds later are accepted and ignored. */
export const AlertmanagerAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: Strings,
  annotations: Strings.default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  generatorURL: z.string().default(''),
  fingerprint: z.string().optional(),
});

export const AlertmanagerPayloadSchema = z.looseObject({
  version: z.literal('4', { error: 'must be "4" (the Alertmanager webhook format this bot reads)' }),
  groupKey: z.string().default(''),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: Strings.default({}),
  commonLabels: Strings.default({}),
  commonAnnotations: Strings.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(AlertmanagerAlertSchema).min(1, 'must hold at least one alert'),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayloadSchema>;

/** Alertmanager omits the fingerprint only in hand-made payloads; the label set identifies the alert then. */
function fingerprintOf(alert: z.infer<typeof AlertmanagerAlertSchema>): string {
  if (alert.fingerprint) return alert.fingerprint;
  const labels = Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b));
  return digest(JSON.stringify(labels));
}

/** "PostgresConnectionPoolHigh: <common summary>", else the alert name with the group's other labels. */
function groupTitle(payload: AlertmanagerPayload): string {
  const first = payload.alerts[0];
  const alertname = payload.commonLabels.alertname ?? first?.labels.alertname ?? payload.receiver;
  const summary = payload.commonAnnotations.summary;
  if (summary) return `${alertname}: ${summary}`;
  const labels = Object.entries(payload.groupLabels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return labels ? `${alertname} (${labels})` : alertname;
}

export const alertmanager: IntakeSource<AlertmanagerPayload> = {
  source: 'alertmanager',
  authenticate: (headers, _rawBody, config) => checkToken(headers, config.webhookToken),
  parse: (rawBody) => parseJson(AlertmanagerPayloadSchema, rawBody),
  // Alertmanager sends no delivery id; its retries are recognised per alert by the worker.
  deliveryId: () => null,
  toAlerts(payload) {
    const incidentTitle = groupTitle(payload);
    return payload.alerts.map((alert): NormalizedAlert => {
      const fingerprint = fingerprintOf(alert);
      const annotations = { ...payload.commonAnnotations, ...alert.annotations };
      const alertname = alert.labels.alertname ?? payload.commonLabels.alertname ?? payload.receiver;
      const summary = annotations.summary ?? annotations.message ?? null;
      const links = [
        ...(alert.generatorURL ? [{ text: 'Source', url: alert.generatorURL }] : []),
        ...(annotations.runbook_url ? [{ text: 'Runbook', url: annotations.runbook_url }] : []),
        ...(annotations.dashboard_url ? [{ text: 'Dashboard', url: annotations.dashboard_url }] : []),
        ...(payload.externalURL ? [{ text: 'Alertmanager', url: payload.externalURL }] : []),
      ];
      return {
        source: 'alertmanager',
        // One incident per notification group; an alert sent without a group stands alone.
        dedupKey: payload.groupKey || `fingerprint:${fingerprint}`,
        fingerprint,
        status: alert.status,
        alertname,
        title: summary ? `${alertname}: ${summary}` : alertname,
        incidentTitle: payload.alerts.length === 1 && summary ? `${alertname}: ${summary}` : incidentTitle,
        summary,
        description: annotations.description ?? null,
        severity: null,
        runbook: null,
        labels: alert.labels,
        annotations,
        links,
        startsAt: alert.startsAt,
        truncated: payload.truncatedAlerts,
        event: null,
      };
    });
  },
};
