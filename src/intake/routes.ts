import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Config } from '../config.ts';
import type { AlertSource } from '../domain/incident.ts';
import type { Logger } from '../log.ts';
import type { InboxStore } from '../usecases/ports/store.ts';
import type { Headers, NormalizedAlert, Refusal } from './alert.ts';
import type { AlertmanagerPayload } from './alertmanager.ts';
import { SOURCES } from './sources.ts';
import { STORED_BODY_BYTES, shrinkAlertmanager } from './truncate.ts';

/**
 * Alertmanager sends a whole group in one request and does not retry a 4xx: a 413 would lose the page. Up
 * to 10 MiB is read; Alertmanager bodies over 1 MiB are stored shortened (see truncate.ts).
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface WebhookRouteDeps {
  config: Config;
  inbox: InboxStore;
  log: Logger;
  /** Called after a new page is stored, with its alerts as parsed here: wakes the worker, which need not parse it again. */
  stored: (page: { id: number; alerts: readonly NormalizedAlert[] }) => void;
  /** Told what became of each request, for metrics: stored, a repeated delivery, or refused (HTTP status). */
  observe?: (event: {
    source: AlertSource;
    outcome: 'stored' | 'duplicate' | 'refused';
    reason?: string;
  }) => void;
}

class BodyTooLarge extends Error {}

/** The raw body, refusing more than `max` bytes as soon as the count passes it. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > max) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function refuseRequest(res: ServerResponse, refusal: Refusal): void {
  // Connection: close, so a sender still streaming a refused body is not read to the end.
  res.setHeader('connection', 'close');
  reply(res, refusal.status, { ok: false, error: refusal.reason });
}

/**
 * Stores one page: read (<= 1 MiB), authenticate, validate, write to the inbox, and only then 202.
 * Every refusal is a 4xx naming the reason; a 5xx means only that the inbox could not write, so the
 * sender retries.
 */
export async function acceptPage(
  deps: WebhookRouteDeps,
  name: AlertSource,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const source = SOURCES[name];
  const refuse = (response: ServerResponse, refusal: Refusal) => {
    deps.observe?.({ source: name, outcome: 'refused', reason: String(refusal.status) });
    return refuseRequest(response, refusal);
  };
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      return refuse(res, {
        status: 413,
        reason: `The body is over ${MAX_BODY_BYTES} bytes: send fewer alerts per request (Alertmanager: max_alerts).`,
      });
    }
    return refuse(res, { status: 400, reason: 'The request body could not be read; send it again.' });
  }
  const headers = req.headers as Headers;
  const auth = source.authenticate(headers, raw, deps.config);
  if (!auth.ok) return refuse(res, auth);
  let text = raw.toString('utf8');
  const parsed = source.parse(text);
  if (!parsed.ok) return refuse(res, { status: 400, reason: parsed.reason });
  if (name === 'alertmanager' && raw.length > STORED_BODY_BYTES) {
    const original = parsed.payload as AlertmanagerPayload;
    const shrunk = shrinkAlertmanager(original);
    deps.log.warn(
      { source: name, bytes: raw.length, alerts: original.alerts.length, kept: shrunk.alerts.length },
      'a large Alertmanager body was shortened to 1 MiB (long annotations cut, then alerts counted as truncated)',
    );
    text = JSON.stringify(shrunk);
    parsed.payload = shrunk;
  }
  const alerts = source.toAlerts(parsed.payload);
  let stored: { id: number; duplicate: boolean };
  try {
    stored = await deps.inbox.insert({
      source: name,
      rawBody: text,
      deliveryId: source.deliveryId(headers, parsed.payload),
      dedupKey: alerts[0]?.dedupKey ?? null,
      headers: pickHeaders(headers),
    });
  } catch (error) {
    deps.log.error({ err: error, source: name }, 'could not store a page in the inbox');
    return reply(res, 503, {
      ok: false,
      error: 'The page could not be stored (database unavailable); send it again, it is safe to retry.',
    });
  }
  reply(res, 202, { ok: true, id: stored.id, duplicate: stored.duplicate, alerts: alerts.length });
  deps.observe?.({ source: name, outcome: stored.duplicate ? 'duplicate' : 'stored' });
  if (!stored.duplicate) deps.stored({ id: stored.id, alerts });
}

/** Headers worth keeping with the page for debugging; never the credentials. */
function pickHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ['user-agent', 'content-type', 'x-webhook-id', 'x-webhook-subscription']) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = value;
  }
  return kept;
}

/** `POST /webhooks/alertmanager`, `/webhooks/pagerduty`, `/webhooks/generic`, as Bolt custom routes. */
export function webhookRoutes(deps: WebhookRouteDeps): CustomRoute[] {
  return (Object.keys(SOURCES) as AlertSource[]).map((name) => ({
    path: `/webhooks/${name}`,
    method: ['POST'],
    handler: (req, res) => {
      acceptPage(deps, name, req, res).catch((error: unknown) => {
        deps.log.error({ err: error, source: name }, 'webhook handler failed');
        if (!res.headersSent) reply(res, 500, { ok: false, error: 'Internal error; send the page again.' });
      });
    },
  }));
}
