/**
 * A vendor API call that failed. `retryable` failures (network, 5xx, 429) are retried by the job runner,
 * after `retryAfterMs` when the vendor said how long to wait (a 429's Retry-After).
 */
export class IntegrationError extends Error {
  override readonly name = 'IntegrationError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Retry-After in seconds (the form PagerDuty, Statuspage and GitHub send), as milliseconds; null if absent. */
export function retryAfterMs(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** Turns a vendor's HTTP answer into an IntegrationError: 429 and 5xx are worth retrying, other 4xx are not. */
export function httpFailure(vendor: string, what: string, status: number, headers: Headers, body: string) {
  const retryable = status === 429 || status >= 500;
  return new IntegrationError(
    `${vendor} answered ${status} to ${what}: ${body.slice(0, 300)}`,
    retryable,
    status === 429 ? retryAfterMs(headers.get('retry-after')) : null,
  );
}

/** fetch's own failures (refused connection, DNS, reset) are transient. */
export function networkFailure(vendor: string, what: string, error: unknown): IntegrationError {
  return new IntegrationError(
    `${vendor} unreachable for ${what}: ${error instanceof Error ? error.message : String(error)}`,
    true,
  );
}

/**
 * Runs a vendor client's call, turning whatever the client throws into an IntegrationError through the
 * vendor's own `translate` (each client reports status and Retry-After its own way).
 */
export async function translatingErrors<T>(
  what: string,
  call: () => Promise<T>,
  translate: (what: string, error: unknown) => IntegrationError,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translate(what, error);
  }
}
