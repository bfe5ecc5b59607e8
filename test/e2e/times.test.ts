import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TIME_FIELDS } from '../../src/slack/blocks/times.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { parsePrometheus } from '../support/prometheus.ts';
import { appHomeOpenedEvent, buttonClick, event } from '../support/slackRequests.ts';
import { IC, SECRET, startTestBot, type TestBot } from './testBot.ts';

const T0 = Date.parse('2026-12-03T10:00:00.000Z');
const MIN = 60_000;
const seconds = (ms: number) => Math.floor(ms / 1000);

let clock = T0;
let t: TestBot;
beforeEach(async () => {
  clock = T0;
  t = await startTestBot({ now: () => new Date(clock) });
});
afterEach(async () => {
  await t.stop();
});

function header(channel: string): StoredMessage {
  const pinned = t.slack.pinned(channel)[0];
  return t.slack.message(channel, pinned?.ts ?? '') as StoredMessage;
}

/** Opens "Edit times" on the header as IC and submits these pickers (ms since epoch; null = emptied). */
async function editTimes(channel: string, picked: Partial<Record<keyof typeof TIME_FIELDS, number | null>>) {
  const top = header(channel);
  await t.act(IC, top, buttonClick(top, ACTIONS.editTimes));
  const view = t.slack.callsTo('views.open').at(-1)?.args.view as {
    callback_id: string;
    private_metadata: string;
    blocks: { block_id?: string; element?: { initial_date_time?: number } }[];
  };
  expect(view.callback_id).toBe(VIEWS.editTimes);
  // Every picker starts from what is recorded, as Slack would send it back untouched.
  const values: Record<string, unknown> = {};
  for (const [milestone, field] of Object.entries(TIME_FIELDS)) {
    const initial = view.blocks.find((b) => b.block_id === field.blockId)?.element?.initial_date_time ?? null;
    const chosen = milestone in picked ? picked[milestone as keyof typeof TIME_FIELDS] : undefined;
    const value = chosen === undefined ? initial : chosen === null ? null : seconds(chosen);
    values[field.blockId] = { [field.actionId]: { type: 'datetimepicker', selected_date_time: value } };
  }
  return t.submitView(IC, VIEWS.editTimes, view.private_metadata, values);
}

describe('structured incident times', () => {
  it('are edited from the header, recorded with who and when, and give MTTM in stats, App Home and /metrics', async () => {
    const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
    clock = T0 + 3 * MIN;
    await t.command(`commander <@${IC}>`, { channel_id: channel, user_id: IC });
    clock = T0 + 30 * MIN;
    const res = await editTimes(channel, { impactStartedAt: T0 - 10 * MIN, mitigatedAt: T0 + 20 * MIN });
    expect(res.status).toBe(200);

    expect(await t.bot.service.get(incident.id)).toMatchObject({
      impactStartedAt: new Date(T0 - 10 * MIN).toISOString(),
      detectedAt: null,
      acknowledgedAt: new Date(T0 + 3 * MIN).toISOString(),
      mitigatedAt: new Date(T0 + 20 * MIN).toISOString(),
    });
    const entries = (await t.bot.service.timeline(incident.id)).filter((e) => e.kind === 'time_set');
    expect(entries.map((e) => [e.actor, e.at, e.text])).toEqual([
      [IC, new Date(T0 + 30 * MIN).toISOString(), 'Impact started set to 2026-12-03 09:50 UTC (was not set)'],
      [IC, new Date(T0 + 30 * MIN).toISOString(), 'Mitigated set to 2026-12-03 10:20 UTC (was not set)'],
    ]);
    // Found by its text: at minute 30 the runbook's escalation timer may post in the same channel.
    const said = t.slack.messages(channel).findLast((m) => m.text.startsWith('Incident times changed'));
    expect(said?.text).toBe(`Incident times changed by <@${IC}>`);
    expect(JSON.stringify(said?.blocks)).toContain(`• Mitigated: <!date^${seconds(T0 + 20 * MIN)}^`);

    clock = T0 + 50 * MIN;
    await t.command('resolve pool drained', { channel_id: channel, user_id: IC });

    // MTTD: impact 09:50 -> declared 10:00 = 10 min. MTTA: 10:00 -> 10:03. MTTM: 09:50 -> 10:20 = 30 min.
    // MTTR: 09:50 -> 10:50 = 1 h.
    const stats = await t.command('stats 7d');
    expect(stats.text).toContain(
      '*P1* · 1 incident · MTTD 10 min · MTTA 3 min (1 acknowledged) · MTTM 30 min · MTTR 1 h (1 resolved)',
    );
    await event(t.url, SECRET, appHomeOpenedEvent({ user: IC }));
    expect(JSON.stringify(t.slack.homeView(IC)?.blocks)).toContain(
      '*P1* · 1 · MTTD 10 min · MTTA 3 min · MTTM 30 min · MTTR 1 h',
    );
    const metrics = parsePrometheus(await (await fetch(`${t.url}/metrics`)).text());
    expect(metrics.get('incident_bot_response_time_seconds{measure="mttm",severity="P1"}')).toBe(1800);
    expect(metrics.get('incident_bot_response_time_seconds{measure="mttr",severity="P1"}')).toBe(3600);
    expect(metrics.get('incident_bot_response_time_seconds{measure="mtta",severity="P1"}')).toBe(180);
    expect(metrics.has('incident_bot_response_time_seconds{measure="mttr",severity="P0"}')).toBe(false);
  });

  it('refuses times out of order or in the future next to the pickers, and changes nothing', async () => {
    const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
    clock = T0 + 30 * MIN;
    const backwards = await editTimes(channel, { impactStartedAt: T0 + 10 * MIN, detectedAt: T0 + 5 * MIN });
    expect(JSON.parse(backwards.text)).toEqual({
      response_action: 'errors',
      errors: {
        [TIME_FIELDS.impactStartedAt.blockId]:
          'Detected cannot come before impact started: change one of the two.',
      },
    });
    const future = await editTimes(channel, { mitigatedAt: T0 + 40 * MIN });
    expect(JSON.parse(future.text).errors[TIME_FIELDS.impactStartedAt.blockId]).toBe(
      'Mitigated is in the future: pick a time that has passed.',
    );
    const unresolved = await editTimes(channel, { resolvedAt: T0 + 20 * MIN });
    expect(JSON.parse(unresolved.text).errors[TIME_FIELDS.impactStartedAt.blockId]).toContain(
      'The incident is not resolved: resolve it first',
    );
    expect(await t.bot.service.get(incident.id)).toMatchObject({
      impactStartedAt: null,
      detectedAt: null,
      mitigatedAt: null,
    });
    expect((await t.bot.service.timeline(incident.id)).filter((e) => e.kind === 'time_set')).toEqual([]);
  });
});
