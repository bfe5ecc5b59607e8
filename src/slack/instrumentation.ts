import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { FetchFunction } from '@slack/web-api';
import type { Metrics } from '../metrics.ts';

/** Slack answers that mean the bot's token no longer works: readiness fails until a call succeeds again. */
const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

/** Outcomes that mean Slack (or the way to it) is unavailable, as opposed to a refused request. */
const UNAVAILABLE =
  /^(http_5\d\d|network_error|ratelimited|invalid_json|service_unavailable|internal_error|fatal_error|request_timeout)$/;

/** What /readyz reads about Slack: the last answer about the token, fed by every Web API call. */
export class SlackHealth {
  /** Null until the first call; start-up's auth.test sets it. */
  authError: string | null = null;
  lastOkAt: number | null = null;
  /** Socket Mode only: whether the WebSocket is connected (null in HTTP mode). */
  socketConnected: boolean | null = null;

  /** The last failed call since the last success (HTTP 5xx, network, rate limit): Slack may be down. */
  lastFailure: { at: number; outcome: string } | null = null;

  record(outcome: string, at = Date.now()): void {
    if (outcome === 'ok') {
      this.authError = null;
      this.lastOkAt = at;
      this.lastFailure = null;
    } else if (AUTH_ERRORS.has(outcome)) {
      this.authError = outcome;
    } else if (UNAVAILABLE.test(outcome)) {
      this.lastFailure = { at, outcome };
    }
  }

  /**
   * Why Slack counts as down: calls have been failing with no success for `windowMs`, or null. A quiet
   * bot (no calls) is not down; the job runner's probe keeps calling while side effects wait.
   */
  outage(windowMs: number, now = Date.now()): string | null {
    if (!this.lastFailure) return null;
    const since = this.lastOkAt ?? 0;
    const silent = now - since;
    if (silent < windowMs) return null;
    const seconds = this.lastOkAt === null ? null : Math.round(silent / 1000);
    return (
      `Slack API calls are failing (last answer: ${this.lastFailure.outcome})` +
      (seconds === null ? ' and none has succeeded yet' : `, none succeeded for ${seconds} s`)
    );
  }

  get ready(): boolean {
    return this.lastOkAt !== null && this.authError === null && this.socketConnected !== false;
  }
}

/** `https://slack.com/api/chat.postMessage` -> `chat.postMessage`; anything odd collapses to `other`. */
export function methodOf(url: string | URL): string {
  const path = typeof url === 'string' ? url : url.pathname;
  const last = path.split('?')[0]?.split('/').pop() ?? '';
  return /^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(last) ? last : 'other';
}

/**
 * A `fetch` for the Slack WebClient (clientOptions.fetch) that counts every HTTP request by method and
 * outcome. Bolt copies clientOptions into every client it makes (per request, Socket Mode), so this one
 * hook sees all calls, including retries, which is what a rate-limit dashboard needs.
 */
export function instrumentedFetch(metrics: Metrics, health: SlackHealth, base: FetchFunction): FetchFunction {
  return async (url, init) => {
    const method = methodOf(url);
    const end = metrics.slackApiDurationSeconds.startTimer({ method });
    let outcome = 'network_error';
    try {
      const response = await base(url, init);
      if (response.status === 429) {
        outcome = 'ratelimited';
        metrics.slackRateLimited.inc({ method });
      } else if (response.status !== 200) {
        outcome = `http_${response.status}`;
      } else {
        outcome = await slackOutcome(response);
      }
      return response;
    } finally {
      end();
      metrics.slackApiCalls.inc({ method, outcome });
      health.record(outcome);
    }
  };
}

/** `ok`, or the error code of a Slack answer with `ok: false`; reads a clone so the client still gets the body. */
async function slackOutcome(response: Awaited<ReturnType<FetchFunction>>): Promise<string> {
  const clone = 'clone' in response && typeof response.clone === 'function' ? response.clone() : null;
  if (!clone) return 'ok';
  try {
    const body: unknown = await clone.json();
    if (typeof body !== 'object' || body === null || !('ok' in body)) return 'ok';
    if (body.ok === true) return 'ok';
    return 'error' in body && typeof body.error === 'string' && /^[a-z_]{1,64}$/.test(body.error)
      ? body.error
      : 'error';
  } catch {
    return 'invalid_json';
  }
}

/** What kind of Slack request a body is, and its name (command, action_id, callback_id, event type). */
export function requestKind(body: unknown): { kind: string; name: string } {
  if (typeof body !== 'object' || body === null) return { kind: 'other', name: '' };
  const b = body as Record<string, unknown>;
  if (typeof b.command === 'string') return { kind: 'command', name: b.command };
  if (b.type === 'block_actions' && Array.isArray(b.actions)) {
    const first: unknown = b.actions[0];
    const id =
      typeof first === 'object' && first !== null && 'action_id' in first ? String(first.action_id) : '';
    return { kind: 'action', name: id };
  }
  if (b.type === 'view_submission' || b.type === 'view_closed') {
    const view = b.view as { callback_id?: unknown } | undefined;
    return { kind: 'view', name: typeof view?.callback_id === 'string' ? view.callback_id : '' };
  }
  if (b.type === 'event_callback') {
    const event = b.event as { type?: unknown } | undefined;
    return { kind: 'event', name: typeof event?.type === 'string' ? event.type : '' };
  }
  return { kind: typeof b.type === 'string' ? b.type : 'other', name: '' };
}

/** A Bolt global middleware timing each request from arrival to the end of its handler. */
export function handlerTimer(metrics: Metrics): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const { kind, name } = requestKind(body);
    // Names are bounded by what the app registers, but another app's payload should not mint series.
    const end = metrics.handlerDurationSeconds.startTimer({ kind, name: name.slice(0, 64) });
    try {
      await next();
    } finally {
      end();
    }
  };
}
