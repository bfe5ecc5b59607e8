import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Config } from '../config.ts';
// The normalized alert is a domain noun: the Slack side renders it without importing the intake.
import type { NormalizedAlert } from '../domain/alert.ts';
import type { AlertSource } from '../domain/incident.ts';

export { type NormalizedAlert, NormalizedAlertSchema } from '../domain/alert.ts';

/** A request refused before it reaches the inbox; `reason` is the response body, telling the sender what to fix. */
export interface Refusal {
  status: number;
  reason: string;
}

export type AuthResult = { ok: true } | ({ ok: false } & Refusal);
export type ParseResult<T> = { ok: true; payload: T } | { ok: false; reason: string };

/** What the HTTP route reads from a request; header names are lower case, as node gives them. */
export type Headers = Record<string, string | string[] | undefined>;

/**
 * One alert source behind one interface (the Dispatch plugin style): the route and the worker never
 * name a vendor, so a new source is one new module and one line in `sources.ts`.
 */
export interface IntakeSource<P> {
  readonly source: AlertSource;
  authenticate(headers: Headers, rawBody: Buffer, config: Config): AuthResult;
  parse(rawBody: string): ParseResult<P>;
  /** The sender's id for this delivery, when it sends one: a redelivery with it is stored once. */
  deliveryId(headers: Headers, payload: P): string | null;
  toAlerts(payload: P): NormalizedAlert[];
}

/** Parses JSON, then validates it; both failures say what was wrong, for the 400 body. */
export function parseJson<T extends z.ZodType>(schema: T, rawBody: string): ParseResult<z.output<T>> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    return {
      ok: false,
      reason: `The body is not valid JSON (${error instanceof Error ? error.message : String(error)}); send a JSON object.`,
    };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, payload: result.data };
  const issues = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
  return { ok: false, reason: `The body does not match the expected format: ${issues}.` };
}

export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A short stable id for text of any length (group keys can be long), used in idempotency keys. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
