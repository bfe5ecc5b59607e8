import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AlertmanagerPayload } from '../../src/intake/alertmanager.ts';

export const WEBHOOK_TOKEN = 'test-webhook-token-0123456789abcdef';
export const PD_SECRET = 'test-pagerduty-secret-0123456789';
export const PD_OLD_SECRET = 'test-pagerduty-old-secret-98765';

export function fixture(name: string): string {
  return readFileSync(`test/fixtures/webhooks/${name}`, 'utf8');
}

export interface PostResult {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs a webhook body (a string is sent as is, an object as JSON) with the bearer token unless told otherwise. */
export async function postWebhook(
  baseUrl: string,
  source: 'alertmanager' | 'pagerduty' | 'generic',
  body: string | object,
  headers: Record<string, string> = { authorization: `Bearer ${WEBHOOK_TOKEN}` },
): Promise<PostResult> {
  const res = await fetch(`${baseUrl}/webhooks/${source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export function pdSignature(body: string, ...secrets: string[]): string {
  return secrets.map((s) => `v1=${createHmac('sha256', s).update(body).digest('hex')}`).join(',');
}

/** An Alertmanager v4 notification for one group, shaped like the real thing (see the fixtures). */
export function alertmanagerGroup(options: {
  alertname: string;
  group: string;
  alerts: number;
  status?: 'firing' | 'resolved';
  severity?: string;
  labels?: Record<string, string>;
  /** When the alerts started, in minutes after 03:00 UTC; a group firing again starts later. */
  startMinute?: number;
}): AlertmanagerPayload {
  const status = options.status ?? 'firing';
  const common = {
    alertname: options.alertname,
    cluster: options.group,
    severity: options.severity ?? 'critical',
    ...options.labels,
  };
  return {
    receiver: 'incident-bot',
    status,
    alerts: Array.from({ length: options.alerts }, (_, i) => ({
      status,
      labels: { ...common, instance: `${options.group}-pod-${i}` },
      annotations: { summary: `${options.alertname} on ${options.group}-pod-${i}` },
      startsAt: new Date(Date.UTC(2026, 10, 22, 3, options.startMinute ?? 0, i)).toISOString(),
      endsAt: status === 'resolved' ? '2026-11-22T04:00:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.example.com/graph?g0.expr=up&group=${options.group}`,
      fingerprint: `${options.group}-${i}`.padStart(16, '0'),
    })),
    groupLabels: { alertname: options.alertname, cluster: options.group },
    commonLabels: common,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.com:9093',
    version: '4',
    groupKey: `{}:{alertname="${options.alertname}", cluster="${options.group}"}`,
    truncatedAlerts: 0,
  };
}
