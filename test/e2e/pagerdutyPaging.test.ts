import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakePagerDutyEvents,
  PD_ROUTING_KEY,
  startFakePagerDutyEvents,
} from '../support/fakePagerDutyEvents.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { ANNOUNCE, DECLARER, ESCALATIONS, IC, LEADS, startTestBot, type TestBot } from './testBot.ts';

/** P1 escalates to leadership after 2 minutes; leadership is a PagerDuty service with an Events API v2 key. */
const PAGING_POLICY = `
timezone: UTC
channels: { announce: ${ANNOUNCE}, status: C0STATUS01, executive: C0EXECUTIV, escalation: ${ESCALATIONS} }
severities:
  P0: { name: Critical, meaning: down, response_time: 10s, update_every: 30s, escalate_after: 60s, escalate_to: leadership }
  P1: { name: High, meaning: major, response_time: 30s, update_every: 60s, escalate_after: 120s, escalate_to: leadership,
        team: { incident_commander: { users: [${IC}] } } }
  P2: { name: Medium, meaning: minor, response_time: 4h, update_every: 2h, escalate_after: next_business_day, escalate_to: leadership }
  P3: { name: Low, meaning: cosmetic, response_time: 2d, update_every: none, escalate_after: none, escalate_to: null }
targets:
  leadership: { label: Leadership, users: [${LEADS[0]}], pagerduty: { routing_key: ${PD_ROUTING_KEY}, service: Leadership on-call } }
  legal: { label: Legal, users: [U0LEGAL001] }
conditions:
  data_breach: { label: Data breach suspected, escalate_to: [legal] }
`;

const T0 = Date.parse('2026-11-23T15:00:00.000Z');
let clock = T0;
let events: FakePagerDutyEvents;
let t: TestBot;

beforeEach(async () => {
  clock = T0;
  events = await startFakePagerDutyEvents();
  t = await startTestBot({
    policy: PAGING_POLICY,
    now: () => new Date(clock),
    env: { SCHEDULER_TICK_SECONDS: '3600', PAGERDUTY_EVENTS_URL: events.url },
  });
});

afterEach(async () => {
  await t.stop();
  await events.close();
});

/** Runs the incident's side effects now, including those waiting out a backoff after a failure. */
async function settle(incidentId: number) {
  for (let round = 0; round < 5; round++) {
    await t.bot.jobs.runIncident(incidentId);
    if ((await t.bot.store.jobs.wakeRetrying()) === 0) break;
  }
  await t.bot.jobs.idle();
}

function triggerBody(incidentId: number, channel: string, escalation: string, status = 'declared') {
  return {
    routing_key: PD_ROUTING_KEY,
    event_action: 'trigger',
    dedup_key: `incident-bot-${incidentId}-leadership`,
    client: 'incident-bot',
    payload: {
      summary: `[P1] Incident #${incidentId}: Checkout errors`,
      source: 'incident-bot',
      severity: 'error',
      custom_details: { incident: incidentId, severity: 'P1', status, escalation },
    },
    links: [
      {
        href: `https://slack.com/app_redirect?channel=${channel}`,
        text: `Slack channel of incident #${incidentId}`,
      },
    ],
  };
}

const integrationEntries = async (id: number) =>
  (await t.bot.service.timeline(id)).filter((e) => e.kind === 'integration').map((e) => e.text);

describe('escalation pages PagerDuty through the Events API v2', () => {
  it('a timer escalation sends exactly one trigger, through a 500 and a 429, and resolving resolves the page', async () => {
    const { incident, channel } = await t.declare('declare P1 Checkout errors');
    events.failNext('POST', 500);
    events.failNext('POST', 429, 1);
    clock = T0 + 120_000;
    await t.bot.scheduler.tick();
    await settle(incident.id);

    expect(events.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/v2/enqueue', 500],
      ['POST', '/v2/enqueue', 429],
      ['POST', '/v2/enqueue', 202],
    ]);
    const expected = triggerBody(incident.id, channel, 'Escalated to Leadership: P1 unresolved after 2 min');
    for (const request of events.requests) {
      expect(request.body).toEqual(expected);
      expect(request.headers['content-type']).toBe('application/json');
    }
    expect(events.problems).toEqual([]);
    expect([...events.alerts.values()]).toEqual([
      { routingKey: PD_ROUTING_KEY, status: 'triggered', summary: expected.payload.summary, triggers: 1 },
    ]);
    expect(await integrationEntries(incident.id)).toEqual([
      'Paged Leadership in PagerDuty (Leadership on-call)',
    ]);

    // Later changes ask again: the page is not sent twice.
    await t.bot.workflow.refreshHeader(incident.id);
    await settle(incident.id);
    expect(events.requests.filter((r) => r.status === 202)).toHaveLength(1);

    await t.command('resolve checkout is back', { channel_id: channel, user_id: DECLARER });
    await settle(incident.id);
    expect(events.requests.at(-1)?.body).toEqual({
      routing_key: PD_ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: `incident-bot-${incident.id}-leadership`,
    });
    expect(events.requests.filter((r) => r.status === 202)).toHaveLength(2);
    expect(events.alerts.get(`incident-bot-${incident.id}-leadership`)?.status).toBe('resolved');
    expect(await integrationEntries(incident.id)).toEqual([
      'Paged Leadership in PagerDuty (Leadership on-call)',
      'Resolved the page to Leadership in PagerDuty',
    ]);
    expect(events.problems).toEqual([]);
  });

  it('escalating by hand pages the severity target, and targets without pagerduty page nothing', async () => {
    const { incident, channel } = await t.declare('declare P1 Checkout errors');
    const header = t.slack.messages(channel)[0] as StoredMessage;
    await t.escalate(DECLARER, header, ['data_breach'], 'card numbers in the logs');
    await settle(incident.id);
    const triggers = events.requests.filter((r) => r.status === 202);
    expect(triggers.map((r) => r.body)).toEqual([
      triggerBody(incident.id, channel, 'Escalated to Leadership, Legal: card numbers in the logs'),
    ]);
    expect(await integrationEntries(incident.id)).toEqual([
      'Paged Leadership in PagerDuty (Leadership on-call)',
    ]);
  });

  it('a drill pages nobody, by hand or by timer', async () => {
    await t.command('drill RUN-001');
    const drill = (await t.bot.service.listOpen())[0];
    expect(drill).toMatchObject({ drill: true });
    const id = drill?.id ?? 0;
    const header = t.slack.messages(drill?.channelId ?? '')[0] as StoredMessage;
    await t.escalate(DECLARER, header, []);
    clock = T0 + 3_600_000;
    await t.bot.scheduler.tick();
    await settle(id);
    expect((await t.bot.service.timeline(id)).filter((e) => e.kind === 'escalation').length).toBeGreaterThan(
      0,
    );
    expect((await t.bot.store.jobs.forIncident(id)).filter((j) => j.kind.startsWith('pagerduty.'))).toEqual(
      [],
    );
    expect(events.requests).toEqual([]);
  });
});
