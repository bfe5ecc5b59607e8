import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UPDATE_FIELDS } from '../../src/slack/blocks/updates.ts';
import { VIEWS } from '../../src/slack/ids.ts';
import {
  type FakeStatuspage,
  SP_API_KEY,
  SP_PAGE,
  SP_PREFIX,
  startFakeStatuspage,
} from '../support/fakeStatuspage.ts';
import { inputValue } from '../support/slackRequests.ts';
import { IC, startTestBot, type TestBot } from './testBot.ts';

let sp: FakeStatuspage;
let t: TestBot;

beforeEach(async () => {
  sp = await startFakeStatuspage();
  t = await startTestBot({
    env: { STATUSPAGE_API_KEY: SP_API_KEY, STATUSPAGE_PAGE_ID: SP_PAGE, STATUSPAGE_API_URL: sp.url },
  });
});

afterEach(async () => {
  await t.stop();
  await sp.close();
});

async function settle(incidentId: number) {
  for (let round = 0; round < 5; round++) {
    await t.bot.jobs.runIncident(incidentId);
    if ((await t.bot.store.jobs.wakeRetrying()) === 0) break;
  }
  await t.bot.jobs.idle();
}

async function postUpdate(channel: string, status: string, impact: string, action: string) {
  await t.command('update', { channel_id: channel, user_id: IC });
  const view = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
  await t.submitView(IC, VIEWS.statusUpdate, view.private_metadata, {
    [UPDATE_FIELDS.status.blockId]: { [UPDATE_FIELDS.status.actionId]: inputValue.staticSelect(status) },
    [UPDATE_FIELDS.impact.blockId]: { [UPDATE_FIELDS.impact.actionId]: inputValue.plainText(impact) },
    [UPDATE_FIELDS.action.blockId]: { [UPDATE_FIELDS.action.actionId]: inputValue.plainText(action) },
    [UPDATE_FIELDS.next.blockId]: {
      [UPDATE_FIELDS.next.actionId]: {
        type: 'datetimepicker',
        selected_date_time: Math.floor(Date.now() / 1000) + 900,
      },
    },
  });
}

describe('Statuspage', () => {
  it('creates one page incident, patches it on later updates, and resolves it with the incident', async () => {
    const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
    await postUpdate(
      channel,
      'investigating',
      'Checkout fails for 30% of users',
      'Killing idle transactions',
    );
    await settle(incident.id);
    // The second update meets a 503 first: retried, it reaches the page once.
    sp.failNext('PATCH', 503);
    await postUpdate(channel, 'identified', 'Checkout fails for 10% of users', 'Raising the pool size');
    await settle(incident.id);
    await t.command('resolve pool resized', { channel_id: channel, user_id: IC });
    await settle(incident.id);

    expect([...sp.incidents.values()]).toEqual([
      {
        id: 'inc1',
        name: 'Database connection pool exhausted',
        status: 'resolved',
        shortlink: 'https://stspg.io/inc1',
        metadata: { incident_bot: { incident: String(incident.id) } },
        incident_updates: [
          { body: 'This incident has been resolved.', status: 'resolved' },
          {
            body: 'Checkout fails for 10% of users\n\nWhat we are doing: Raising the pool size',
            status: 'identified',
          },
          {
            body: 'Checkout fails for 30% of users\n\nWhat we are doing: Killing idle transactions',
            status: 'investigating',
          },
        ],
        components: { 'cmp-pg': 'operational' },
      },
    ]);
    const writes = sp.requests.filter((r) => r.method !== 'GET').map((r) => [r.method, r.path, r.status]);
    expect(writes).toEqual([
      ['POST', `${SP_PREFIX}/pages/${SP_PAGE}/incidents`, 201],
      ['PATCH', `${SP_PREFIX}/pages/${SP_PAGE}/incidents/inc1`, 503],
      ['PATCH', `${SP_PREFIX}/pages/${SP_PAGE}/incidents/inc1`, 200],
      ['PATCH', `${SP_PREFIX}/pages/${SP_PAGE}/incidents/inc1`, 200],
    ]);
    const created = sp.requests.find((r) => r.method === 'POST');
    expect(created?.body).toEqual({
      incident: {
        name: 'Database connection pool exhausted',
        status: 'investigating',
        body: 'Checkout fails for 30% of users\n\nWhat we are doing: Killing idle transactions',
        component_ids: ['cmp-pg'],
        components: { 'cmp-pg': 'partial_outage' },
        metadata: { incident_bot: { incident: String(incident.id) } },
      },
    });
    expect(created?.headers).toMatchObject({
      authorization: `OAuth ${SP_API_KEY}`,
      'content-type': 'application/json',
    });
    expect(sp.problems).toEqual([]);
    expect(t.slack.messages(channel).map((m) => m.text)).toContain(
      ':white_check_mark: The status page incident is resolved: https://stspg.io/inc1.',
    );
  });

  it('adopts the page incident a create made when its answer was lost, instead of creating a second', async () => {
    const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
    sp.loseNextCreate();
    await postUpdate(
      channel,
      'investigating',
      'Checkout fails for 30% of users',
      'Killing idle transactions',
    );
    await settle(incident.id);

    expect(sp.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', `${SP_PREFIX}/pages/${SP_PAGE}/components`, 200],
      ['POST', `${SP_PREFIX}/pages/${SP_PAGE}/incidents`, 504],
      // The retry looks for its marker first, finds the incident, and sees the update already there.
      ['GET', `${SP_PREFIX}/pages/${SP_PAGE}/components`, 200],
      ['GET', `${SP_PREFIX}/pages/${SP_PAGE}/incidents/unresolved`, 200],
      ['GET', `${SP_PREFIX}/pages/${SP_PAGE}/incidents/inc1`, 200],
    ]);
    expect([...sp.incidents.keys()]).toEqual(['inc1']);
    expect(await t.bot.store.externalRefs.get('statuspage', `incident:${incident.id}`)).toMatchObject({
      remoteId: 'inc1',
      url: 'https://stspg.io/inc1',
    });
    // Later updates patch the adopted incident.
    await postUpdate(channel, 'identified', 'Checkout fails for 10% of users', 'Raising the pool size');
    await settle(incident.id);
    expect(sp.incidents.get('inc1')?.incident_updates.map((u) => u.status)).toEqual([
      'identified',
      'investigating',
    ]);
    expect(sp.problems).toEqual([]);
  });

  it('previews in the update form the text the status page will get, and publishes exactly that', async () => {
    const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
    await postUpdate(
      channel,
      'investigating',
      'Checkout fails for 30% of users',
      'Killing idle transactions',
    );
    await settle(incident.id);
    await t.command('update', { channel_id: channel, user_id: IC });
    const view = t.slack.callsTo('views.open').at(-1)?.args.view as {
      private_metadata: string;
      blocks: {
        type: string;
        block_id?: string;
        element?: { initial_value?: string };
        text?: { text: string };
      }[];
    };
    const initial = (blockId: string) =>
      view.blocks.find((b) => b.block_id === blockId)?.element?.initial_value ?? '';
    const impact = initial(UPDATE_FIELDS.impact.blockId);
    const action = initial(UPDATE_FIELDS.action.blockId);
    expect(impact).toBe('Checkout fails for 30% of users');
    const body = action ? `${impact}\n\nWhat we are doing: ${action}` : impact;
    const texts = view.blocks.map((b) => JSON.stringify(b));
    const heading = texts.findIndex((x) => x.includes('🌐 On Post update, the public status page gets'));
    expect(texts[heading]).toContain(
      '*Database connection pool exhausted* · Investigating · affected: postgres, pgbouncer, api',
    );
    expect(view.blocks[heading + 1]?.text?.text).toBe(
      body
        .split('\n')
        .map((line) => `>${line}`)
        .join('\n'),
    );
    await postUpdate(channel, 'identified', impact, action);
    await settle(incident.id);
    expect(sp.incidents.get('inc1')?.incident_updates[0]).toEqual({ body, status: 'identified' });

    // A private incident never publishes, so its form previews nothing.
    const secret = await t.declare('declare P0 Breach of customer data --runbook RUN-004');
    await t.command('update', { channel_id: secret.channel, user_id: IC });
    expect(JSON.stringify(t.slack.callsTo('views.open').at(-1)?.args.view)).not.toContain('status page gets');
  });

  it('never publishes a private incident or a drill', async () => {
    const secret = await t.declare('declare P0 Breach of customer data --runbook RUN-004');
    await postUpdate(secret.channel, 'investigating', 'Rotating keys', 'Rotating');
    const drill = await t.declare('drill RUN-001');
    await postUpdate(drill.channel, 'investigating', 'Practice', 'Practising');
    await settle(secret.incident.id);
    await settle(drill.incident.id);
    expect((await t.bot.service.get(secret.incident.id)).private).toBe(true);
    expect((await t.bot.service.get(drill.incident.id)).drill).toBe(true);
    expect(sp.requests).toEqual([]);
  });
});
