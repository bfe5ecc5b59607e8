import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { responseStats } from '../../src/domain/stats.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import { type FakePagerDuty, PD_API_TOKEN, PD_FROM, startFakePagerDuty } from '../support/fakePagerDuty.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { buttonClick, event, reactionAddedEvent } from '../support/slackRequests.ts';
import { fixture, PD_SECRET, pdSignature, postWebhook } from '../support/webhooks.ts';
import { DECLARER, OTHER, SECRET, startTestBot, type TestBot } from './testBot.ts';

const PD_INCIDENT = 'Q1R2DLCB21K7ZY';
let pd: FakePagerDuty;
let t: TestBot;

beforeEach(async () => {
  pd = await startFakePagerDuty();
  pd.incidents.set(PD_INCIDENT, { status: 'triggered', notes: [] });
  t = await startTestBot({
    env: {
      PAGERDUTY_WEBHOOK_SECRET: PD_SECRET,
      PAGERDUTY_API_TOKEN: PD_API_TOKEN,
      PAGERDUTY_FROM_EMAIL: PD_FROM,
      PAGERDUTY_API_URL: pd.url,
    },
  });
});

afterEach(async () => {
  await t.stop();
  await pd.close();
});

/** Sends the fixture's PagerDuty v3 event as `type`, signed, as PagerDuty delivers it. */
async function pagerdutyEvent(id: string, type: string, agent?: { id: string; summary: string }) {
  const event = JSON.parse(fixture('pagerduty-incident-triggered.json')) as {
    event: Record<string, unknown>;
  };
  event.event.id = id;
  event.event.event_type = type;
  if (agent)
    event.event.agent = { ...agent, type: 'user_reference', html_url: 'https://acme.pagerduty.com/users/x' };
  const body = JSON.stringify(event);
  const res = await postWebhook(t.url, 'pagerduty', body, {
    'x-pagerduty-signature': pdSignature(body, PD_SECRET),
    'x-webhook-id': id,
  });
  expect(res.status).toBe(202);
  await t.bot.intake.worker.idle();
}

/** Runs the incident's side effects now, including those waiting out a backoff after a failure. */
async function settle(incidentId: number) {
  for (let round = 0; round < 5; round++) {
    await t.bot.jobs.runIncident(incidentId);
    if ((await t.bot.store.jobs.wakeRetrying()) === 0) break;
  }
  await t.bot.jobs.idle();
}

describe('PagerDuty, both ways', () => {
  it('shows a PagerDuty acknowledgement in the header, counts it for MTTA, and resolves in PagerDuty once', async () => {
    await pagerdutyEvent('ev-trig', 'incident.triggered');
    const [incident] = await t.bot.service.listOpen();
    const id = incident?.id ?? 0;
    const channel = incident?.channelId ?? '';
    expect(incident?.acknowledgedAt).toBeNull();

    // PagerDuty says Ada acknowledged: it already is acknowledged there, so the bot changes nothing in PagerDuty.
    pd.incidents.set(PD_INCIDENT, { status: 'acknowledged', notes: [] });
    await pagerdutyEvent('ev-ack', 'incident.acknowledged', { id: 'PTUXL6G', summary: 'Ada Oncall' });
    await settle(id);
    const acknowledged = await t.bot.service.get(id);
    expect(acknowledged.acknowledgedAt).not.toBeNull();
    // MTTA (declared -> first acknowledgement) counts the acknowledgement made in PagerDuty.
    const p1 = responseStats(await t.bot.store.incidents.listDeclaredSince(new Date(0))).find(
      (s) => s.severity === acknowledged.severity,
    );
    expect(p1).toMatchObject({
      incidents: 1,
      acknowledged: 1,
      mttaMs: Date.parse(acknowledged.acknowledgedAt ?? '') - Date.parse(acknowledged.declaredAt),
    });
    const header = t.slack.messages(channel)[0];
    expect(header?.text).toContain(
      'commander unassigned — acknowledged in PagerDuty by Ada Oncall; claim it',
    );
    expect(JSON.stringify(header?.blocks)).toContain('✅ Acknowledged in PagerDuty by Ada Oncall');
    expect(
      (await t.bot.service.timeline(id)).filter((e) => e.kind === 'external_ack').map((e) => e.text),
    ).toEqual(['Acknowledged in PagerDuty by Ada Oncall']);
    expect(pd.requests.filter((r) => r.method === 'PUT')).toEqual([]);

    // Resolving in Slack: the first PUT meets a 500, the retry resolves it; exactly one PUT succeeds.
    pd.failNext('PUT', 500);
    await t.command('resolve pool back to normal', { channel_id: channel, user_id: DECLARER });
    await settle(id);
    const puts = pd.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => [r.path, r.status])).toEqual([
      [`/incidents/${PD_INCIDENT}`, 500],
      [`/incidents/${PD_INCIDENT}`, 200],
    ]);
    for (const put of puts) {
      expect(put.body).toEqual({ incident: { type: 'incident_reference', status: 'resolved' } });
      expect(put.headers).toMatchObject({
        authorization: `Token token=${PD_API_TOKEN}`,
        from: PD_FROM,
        accept: 'application/vnd.pagerduty+json;version=2',
      });
      expect(put.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(pd.incidents.get(PD_INCIDENT)?.status).toBe('resolved');
    expect(pd.problems).toEqual([]);
    expect(
      (await t.bot.service.timeline(id)).filter((e) => e.kind === 'integration').map((e) => e.text),
    ).toEqual([`PagerDuty incident ${PD_INCIDENT} resolved`]);

    // Every later change asks again: the resolve is queued once, so PagerDuty hears of it once.
    await t.bot.workflow.refreshHeader(id);
    await settle(id);
    expect(pd.requests.filter((r) => r.method === 'PUT' && r.status === 200)).toHaveLength(1);
  });

  it('acknowledges in PagerDuty when someone claims command in Slack', async () => {
    await pagerdutyEvent('ev-trig', 'incident.triggered');
    const [incident] = await t.bot.service.listOpen();
    const header = t.slack.messages(incident?.channelId ?? '')[0] as StoredMessage;
    await t.act(DECLARER, header, buttonClick(header, ACTIONS.claimCommander));
    await settle(incident?.id ?? 0);
    expect((await t.bot.service.get(incident?.id ?? 0)).commanderId).toBe(DECLARER);
    expect(pd.requests.filter((r) => r.method === 'PUT').map((r) => [r.body, r.status])).toEqual([
      [{ incident: { type: 'incident_reference', status: 'acknowledged' } }, 200],
    ]);
    expect(pd.incidents.get(PD_INCIDENT)?.status).toBe('acknowledged');
  });

  it('sends a message pinned in Slack to the PagerDuty incident as a note, once', async () => {
    await pagerdutyEvent('ev-trig', 'incident.triggered');
    const [incident] = await t.bot.service.listOpen();
    const channel = incident?.channelId ?? '';
    const posted = t.slack.postAsUser(channel, OTHER, 'Found it: a migration locked the accounts table');
    pd.failNext('POST', 500);
    const pin = reactionAddedEvent({ user: DECLARER, reaction: 'pushpin', channel, ts: posted.ts });
    expect((await event(t.url, SECRET, pin)).status).toBe(200);
    await settle(incident?.id ?? 0);
    expect(pd.incidents.get(PD_INCIDENT)?.notes).toEqual([
      `Pinned message from <@${OTHER}>: Found it: a migration locked the accounts table`,
    ]);
    expect(
      pd.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.status, r.headers.from]),
    ).toEqual([
      [`/incidents/${PD_INCIDENT}/notes`, 500, PD_FROM],
      [`/incidents/${PD_INCIDENT}/notes`, 201, PD_FROM],
    ]);
    expect(pd.problems).toEqual([]);
  });
});

/** Opens an incident from PagerDuty incident `id` (the triggered fixture, renumbered), then delivers `file` as sent. */
async function openThenDeliver(id: string, file: string) {
  const triggered = JSON.parse(fixture('pagerduty-incident-triggered.json')) as {
    event: { id: string; data: { id: string } };
  };
  triggered.event.id = `ev-trig-${id}`;
  triggered.event.data.id = id;
  for (const body of [JSON.stringify(triggered), fixture(file)]) {
    const res = await postWebhook(t.url, 'pagerduty', body, {
      'x-pagerduty-signature': pdSignature(body, PD_SECRET),
    });
    expect(res.status).toBe(202);
    await t.bot.intake.worker.idle();
  }
  const [incident] = await t.bot.service.listOpen();
  return { id: incident?.id ?? 0, channel: incident?.channelId ?? '' };
}

const entriesOf = async (id: number, kind: string) =>
  (await t.bot.service.timeline(id)).filter((e) => e.kind === kind).map((e) => e.text);

describe('PagerDuty resolved and reassigned webhooks (v3 payloads as PagerDuty sends them)', () => {
  it('incident.reassigned: the header says who PagerDuty assigns it to, and the timeline records it', async () => {
    const { id, channel } = await openThenDeliver('PIQUG8X', 'pagerduty-v3/reassigned.json');
    expect(await entriesOf(id, 'external_reassign')).toEqual([
      'Reassigned in PagerDuty to Test User by PIG 208',
    ]);
    const header = t.slack.messages(channel)[0];
    expect(JSON.stringify(header?.blocks)).toContain(
      '👤 Assigned in PagerDuty to Test User (by PIG 208) <!date^1622801874^',
    );
    // A reassignment is not an acknowledgement: MTTA is untouched and the commander is still to claim.
    expect((await t.bot.service.get(id)).acknowledgedAt).toBeNull();
    expect(header?.text).toContain('commander unassigned — claim it');
  });

  it('incident.resolved: the header says PagerDuty resolved it, and the incident stays for the responders to resolve', async () => {
    const { id, channel } = await openThenDeliver('PCPZE64', 'pagerduty-v3/resolved.json');
    expect(await entriesOf(id, 'external_resolve')).toEqual(['Resolved in PagerDuty by PIG 208']);
    expect((await t.bot.service.get(id)).status).toBe('declared');
    const blocks = JSON.stringify(t.slack.messages(channel)[0]?.blocks);
    expect(blocks).toContain('☑️ Resolved in PagerDuty by PIG 208 <!date^1622812613^');
    expect(blocks).toContain('resolve here too once the responders agree');

    // Once resolved in Slack the line is history: the header no longer asks for a resolve.
    await t.command('resolve agreed with PagerDuty', { channel_id: channel, user_id: DECLARER });
    expect(JSON.stringify(t.slack.messages(channel)[0]?.blocks)).not.toContain('Resolved in PagerDuty');
  });
});
