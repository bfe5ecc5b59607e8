import { z } from 'zod';
import { httpFailure, networkFailure } from './errors.ts';

/** The severities the Events API v2 accepts for an alert. */
export type EventSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PageEvent {
  routingKey: string;
  /** PagerDuty keeps one alert per dedup_key: a repeated trigger joins it instead of paging twice. */
  dedupKey: string;
  summary: string;
  severity: EventSeverity;
  details: Record<string, unknown>;
  links: { href: string; text: string }[];
}

const AcceptedSchema = z.looseObject({ status: z.string(), dedup_key: z.string().optional() });

/** PagerDuty caps the summary at 1024 characters and refuses longer ones. */
const MAX_SUMMARY = 1024;

/**
 * The PagerDuty Events API v2 (`POST /v2/enqueue`) through fetch: pdjs's `event()` only speaks https to a
 * host name, so it cannot reach PAGERDUTY_EVENTS_URL when that is a proxy or a local fake. The routing key
 * in the body is the only credential.
 */
export class PagerDutyEvents {
  constructor(
    private readonly eventsUrl: string,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
    private readonly timeoutMs = 10_000,
  ) {}

  trigger(event: PageEvent): Promise<string> {
    return this.#send(
      {
        routing_key: event.routingKey,
        event_action: 'trigger',
        dedup_key: event.dedupKey,
        client: 'incident-bot',
        payload: {
          summary: event.summary.slice(0, MAX_SUMMARY),
          source: 'incident-bot',
          severity: event.severity,
          custom_details: event.details,
        },
        ...(event.links.length ? { links: event.links } : {}),
      },
      `page (${event.dedupKey})`,
    );
  }

  /** Resolves the alert a trigger with this dedup_key opened; PagerDuty ignores it when there is none. */
  resolve(routingKey: string, dedupKey: string): Promise<string> {
    return this.#send(
      { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey },
      `resolve the page (${dedupKey})`,
    );
  }

  async #send(body: object, what: string): Promise<string> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.eventsUrl}/v2/enqueue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw networkFailure('PagerDuty Events API', what, error);
    }
    const text = await response.text();
    if (response.status !== 202 && !response.ok)
      throw httpFailure('PagerDuty Events API', what, response.status, response.headers, text);
    const parsed = AcceptedSchema.safeParse(text ? JSON.parse(text) : {});
    return parsed.success ? (parsed.data.dedup_key ?? '') : '';
  }
}
