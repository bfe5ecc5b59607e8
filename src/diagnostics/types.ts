import { z } from 'zod';
import { type CheckStatus, type Item, STATUSES } from '../domain/conditions.ts';
import type { DiagnosticCheck } from '../runbooks/model.ts';

export type { CheckStatus, Item };

/**
 * One check's result as posted and as stored on the timeline (so it is read back through this schema).
 * `status` is never `healthy` unless the check ran and its thresholds passed.
 */
export const CheckResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  status: z.enum(STATUSES),
  /** The headline number (max latency, query value, match count, ...), when there is one. */
  value: z.number().nullable(),
  /** The value as shown, with its unit or label. */
  display: z.string(),
  /** The threshold that decided the status, or the configured ones when none matched. */
  threshold: z.string().nullable(),
  detail: z.string(),
  durationMs: z.number(),
  step: z.number().int().nullable(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** What a kind measured, before thresholds turn it into a status. */
export interface Observation {
  /** One entry per URL, series, row or file: the fields thresholds may name. */
  items: Item[];
  value: number | null;
  display: string;
  detail: string;
  /** The kind's own verdict when the runbook gives no thresholds (an unreachable URL is critical). */
  verdict?: CheckStatus;
}

/** Everything a check may use besides its own definition; runbooks never see more than this. */
export interface CheckContext {
  prometheusUrl?: string | undefined;
  databases: Readonly<Record<string, string>>;
  /** Alert labels of the page that opened the incident; only declared placeholders may use them. */
  labels: Readonly<Record<string, string>>;
  now: () => Date;
}

/** One module per kind behind this interface; the runner adds timeouts and thresholds around it. */
export interface Probe<K extends DiagnosticCheck['kind']> {
  kind: K;
  observe(
    check: Extract<DiagnosticCheck, { kind: K }>,
    context: CheckContext,
    signal: AbortSignal,
  ): Promise<Observation>;
}

/** A check that could not run, with what to do about it; the runner turns it into status `error`. */
export class CheckError extends Error {
  override readonly name = 'CheckError';
}
