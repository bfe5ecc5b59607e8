import type { AlertmanagerPayload } from './alertmanager.ts';

/** What is stored of one delivery at most; bigger Alertmanager bodies are shortened to fit, never refused. */
export const STORED_BODY_BYTES = 1024 * 1024;
/** Annotation values (descriptions, runbook text) are cut to this first: they are what makes bodies big. */
const ANNOTATION_CHARS = 1_000;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

function shortAnnotations(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations).map(([k, v]) =>
      v.length > ANNOTATION_CHARS ? [k, `${v.slice(0, ANNOTATION_CHARS)}… (truncated)`] : [k, v],
    ),
  );
}

/**
 * Shortens an Alertmanager payload to at most `max` bytes of JSON: long annotations are cut first; if that
 * is not enough, alerts are dropped (resolved ones before firing ones) and counted in `truncatedAlerts`,
 * Alertmanager's own field for alerts it left out. Every alert kept keeps its labels, status and start.
 */
export function shrinkAlertmanager(
  payload: AlertmanagerPayload,
  max = STORED_BODY_BYTES,
): AlertmanagerPayload {
  if (bytes(payload) <= max) return payload;
  const shortened: AlertmanagerPayload = {
    ...payload,
    commonAnnotations: shortAnnotations(payload.commonAnnotations),
    alerts: payload.alerts.map((a) => ({ ...a, annotations: shortAnnotations(a.annotations) })),
  };
  if (bytes(shortened) <= max) return shortened;
  const ordered = [
    ...shortened.alerts.filter((a) => a.status === 'firing'),
    ...shortened.alerts.filter((a) => a.status !== 'firing'),
  ];
  // Room for the envelope, then alerts in order until the next would not fit.
  let size = bytes({ ...shortened, alerts: [], truncatedAlerts: Number.MAX_SAFE_INTEGER });
  const kept: AlertmanagerPayload['alerts'] = [];
  for (const alert of ordered) {
    const next = bytes(alert) + 1;
    if (size + next > max) break;
    kept.push(alert);
    size += next;
  }
  return {
    ...shortened,
    alerts: kept,
    truncatedAlerts: shortened.truncatedAlerts + (ordered.length - kept.length),
  };
}
