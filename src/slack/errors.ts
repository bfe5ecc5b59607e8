import { ErrorCode } from '@slack/web-api';

/** The Slack error code of a Web API failure (`name_taken`, `ratelimited`, ...), or the error's message. */
export function slackErrorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
    if (error instanceof Error) return error.message;
  }
  return String(error);
}

/** Slack's own "try again" answers, as opposed to a request it will always refuse. */
const TRANSIENT_SLACK_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** Network failures, HTTP 5xx, rate limits and Slack's internal errors pass; a refused request would fail again. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  if (code === ErrorCode.RequestError || code === ErrorCode.HTTPError || code === ErrorCode.RateLimitedError)
    return true;
  return (
    code === ErrorCode.PlatformError &&
    typeof data?.error === 'string' &&
    TRANSIENT_SLACK_ERRORS.has(data.error)
  );
}

/** A failure outside the Web API client that is worth retrying (a response_url answering 503). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}
