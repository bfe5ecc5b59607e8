import type { NormalizedAlert } from './alert.ts';

/** Above this many new alerts in one delivery, the timeline gets one summary entry instead of one each. */
export const FLOOD_ENTRIES = 10;
const FLOOD_SAMPLE = 5;

/** "Alerts in one delivery: 4,277 firing, 3 resolved: DiskFull: /var 95%, ... (+4,275 more)". */
export function floodSummary(alerts: readonly NormalizedAlert[]): {
  text: string;
  data: Record<string, unknown>;
} {
  const statuses: Record<string, number> = {};
  const names = new Map<string, number>();
  for (const alert of alerts) {
    const what = alert.status === 'update' ? (alert.event ?? 'update') : alert.status;
    statuses[what] = (statuses[what] ?? 0) + 1;
    names.set(alert.alertname, (names.get(alert.alertname) ?? 0) + 1);
  }
  const counts = Object.entries(statuses)
    .map(([what, n]) => `${n.toLocaleString('en-US')} ${what}`)
    .join(', ');
  const sample = alerts.slice(0, FLOOD_SAMPLE).map((a) => a.title);
  const more = alerts.length - sample.length;
  return {
    text: `Alerts in one delivery: ${counts}: ${sample.join('; ')}${more > 0 ? ` (+${more.toLocaleString('en-US')} more)` : ''}`,
    data: {
      source: alerts[0]?.source,
      count: alerts.length,
      statuses,
      alertnames: Object.fromEntries([...names].sort((a, b) => b[1] - a[1]).slice(0, 20)),
      sample: alerts
        .slice(0, FLOOD_SAMPLE)
        .map((a) => ({ fingerprint: a.fingerprint, status: a.status, labels: a.labels })),
    },
  };
}
