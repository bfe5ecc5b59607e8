import { startVendorFake, type VendorFake } from './fakeVendor.ts';

/** One alert the fake Events API holds, per dedup_key, as PagerDuty keeps them. */
export interface FakeAlert {
  routingKey: string;
  status: 'triggered' | 'resolved';
  summary: string;
  /** Trigger events that joined this alert (PagerDuty deduplicates them into the one alert). */
  triggers: number;
}

/**
 * A fake PagerDuty Events API v2 on 127.0.0.1: checks each event against PagerDuty's published description
 * (test/fixtures/pagerduty/events-v2-subset.json), refuses unknown routing keys with 400 as PagerDuty does,
 * keeps one alert per dedup_key, and answers 202, or a queued 500 / 429 with Retry-After.
 */
export interface FakePagerDutyEvents extends VendorFake {
  alerts: Map<string, FakeAlert>;
}

export const PD_ROUTING_KEY = 'R0UT1NGKEY0LEADERSH1P00000000001';

export async function startFakePagerDutyEvents(routingKeys = [PD_ROUTING_KEY]): Promise<FakePagerDutyEvents> {
  const alerts = new Map<string, FakeAlert>();
  const fake = await startVendorFake({
    subset: 'test/fixtures/pagerduty/events-v2-subset.json',
    // The routing key in the body is the credential: there is no Authorization header to check.
    authorized: () => true,
    unauthorized: {},
    invalid: (problems) => ({
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors: problems },
    }),
    fault: (status) =>
      status === 429
        ? { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' }
        : { status: 'error', message: 'Internal Server Error' },
    route: ({ body }, answer) => {
      const event = body as {
        routing_key: string;
        event_action: 'trigger' | 'acknowledge' | 'resolve';
        dedup_key: string;
        payload?: { summary: string };
      };
      if (!routingKeys.includes(event.routing_key))
        return answer(400, {
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: ['Invalid routing key'],
        });
      const alert = alerts.get(event.dedup_key);
      if (event.event_action === 'trigger') {
        if (alert?.status === 'triggered') alert.triggers++;
        else
          alerts.set(event.dedup_key, {
            routingKey: event.routing_key,
            status: 'triggered',
            summary: event.payload?.summary ?? '',
            triggers: 1,
          });
      } else if (event.event_action === 'resolve' && alert) alert.status = 'resolved';
      answer(202, { status: 'success', message: 'Event processed', dedup_key: event.dedup_key });
    },
  });
  return { ...fake, alerts };
}
