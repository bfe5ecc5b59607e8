import { z } from 'zod';
import { digest, header, type IntakeSource, parseJson } from './alert.ts';
import { checkToken } from './auth.ts';

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/**
 * The generic webhook for any other sender (a cron job, a cloud monitor, a script). Documented in the
 * README; only `title` and `dedup_key` are required.
 */
export const GenericPayloadSchema = z.looseObject({
  title: z.string().trim().min(1, 'give the incident a title').max(500),
  dedup_key: z
    .string()
    .trim()
    .min(1, 'name what this alert is about, e.g. "checkout-error-rate": repeats join one incident')
    .max(500)
    .refine((key) => !key.startsWith('incident-bot:'), 'must not start with "incident-bot:" (reserved)'),
  status: z.enum(['firing', 'resolved']).default('firing'),
  severity: z.string().trim().min(1).optional(),
  service: z.string().optional(),
  runbook: z.string().trim().min(1).optional(),
  summary: z.string().optional(),
  details: z.record(z.string(), Scalar).default({}),
  links: z.array(z.object({ text: z.string(), url: z.string() })).default([]),
  occurred_at: z.string().optional(),
});
export type GenericPayload = z.infer<typeof GenericPayloadSchema>;

export const generic: IntakeSource<GenericPayload> = {
  source: 'generic',
  authenticate: (headers, _rawBody, config) => checkToken(headers, config.webhookToken),
  parse: (rawBody) => parseJson(GenericPayloadSchema, rawBody),
  deliveryId: (headers) => header(headers, 'idempotency-key') ?? null,
  toAlerts(payload) {
    const labels: Record<string, string> = { ...payload.details };
    if (payload.service) labels.service = payload.service;
    // The same content sent again is the same alert: it changes nothing.
    const fingerprint = digest(
      JSON.stringify([payload.title, payload.summary ?? '', payload.details, payload.occurred_at ?? '']),
    );
    return [
      {
        source: 'generic',
        dedupKey: payload.dedup_key,
        fingerprint,
        status: payload.status,
        alertname: payload.title,
        title: payload.title,
        incidentTitle: payload.title,
        summary: payload.summary ?? null,
        description: null,
        severity: payload.severity ?? null,
        runbook: payload.runbook ?? null,
        labels,
        annotations: {},
        links: payload.links,
        startsAt: payload.occurred_at ?? '',
        truncated: 0,
        event: null,
      },
    ];
  },
};
