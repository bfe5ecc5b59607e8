import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../src/domain/command.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import type { RecordedCall } from '../support/fakeSlack.ts';
import { hostileShort, type Json, mutated } from '../support/mutate.ts';
import { blockActionsPayload, interaction, viewSubmissionPayload } from '../support/slackRequests.ts';
import { fixture, PD_SECRET, pdSignature, postWebhook, WEBHOOK_TOKEN } from '../support/webhooks.ts';
import { DECLARER, GENERAL, IC, SECRET, startTestBot, type TestBot } from './testBot.ts';

// Hostile input through the real app and its HTTP server: seeded and few runs, so it takes seconds.
const SEED = 9;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

let t: TestBot;
beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  t = await startTestBot({ env: { WEBHOOK_TOKEN, PAGERDUTY_WEBHOOK_SECRET: PD_SECRET } });
});
afterAll(async () => {
  await t.stop();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe('hostile webhook bodies', { timeout: 60_000 }, () => {
  const bases = {
    alertmanager: JSON.parse(fixture('alertmanager-firing.json')) as Json,
    pagerduty: JSON.parse(fixture('pagerduty-incident-triggered.json')) as Json,
    generic: JSON.parse(fixture('generic.json')) as Json,
  };
  for (const [source, base] of Object.entries(bases) as [keyof typeof bases, Json][]) {
    it(`${source}: every body is stored (2xx) or refused with a 4xx and a reason, never a 5xx`, async () => {
      const body = fc.oneof(
        mutated(base).map((v) => JSON.stringify(v)),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        hostileShort,
      );
      await fc.assert(
        fc.asyncProperty(body, async (raw) => {
          const headers: Record<string, string> =
            source === 'pagerduty'
              ? { 'x-pagerduty-signature': pdSignature(raw, PD_SECRET) }
              : { authorization: `Bearer ${WEBHOOK_TOKEN}` };
          const res = await postWebhook(t.url, source, raw, headers).catch((error: unknown) => ({
            status: 0,
            body: { error: String(error) },
          }));
          expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(200);
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
          if (res.status >= 400) expect(String(res.body.error ?? '').trim()).not.toBe('');
        }),
        { numRuns: 60, seed: SEED },
      );
      // Whatever was stored is processed without a crash: done, or failed with the reason kept.
      await t.bot.intake.worker.idle();
      for (const item of await t.bot.store.inbox.list({ status: 'failed' }))
        expect(item.lastError?.trim()).not.toBe('');
    });
  }
});

describe('hostile slash-command texts', { timeout: 60_000 }, () => {
  it('always get a 200 (usage or an answer), never a crash', async () => {
    const text = fc
      .oneof(
        hostileShort,
        fc
          .array(
            fc.oneof(
              fc.constantFrom(
                'status',
                'severity',
                'commander',
                'resolve',
                'timeline',
                'list',
                'runbooks',
                'help',
              ),
              fc.constantFrom('#1', '#999999999999', '<@U0HACKER1>', 'P0', 'P7', 'monitoring'),
              hostileShort,
            ),
            { maxLength: 5 },
          )
          .map((parts) => parts.join(' ')),
      )
      // Declarations are exercised by the injection test below; here they would only open channels.
      .filter((s) => !['declare', 'declare-modal'].includes(parseIncidentCommand(s).kind));
    await fc.assert(
      fc.asyncProperty(text, async (s) => {
        const res = await t.command(s, { channel_id: GENERAL });
        expect(res.status).toBe(200);
      }),
      { numRuns: 80, seed: SEED },
    );
  });
});

describe('hostile interaction payloads', { timeout: 60_000 }, () => {
  it('block actions and view submissions with garbage ids, values and state are acknowledged, never a 5xx', async () => {
    const action = fc.record({
      type: fc.constantFrom('button', 'checkboxes', 'static_select', 'overflow'),
      action_id: fc.constantFrom(...Object.values(ACTIONS)),
      block_id: fc.oneof(
        hostileShort,
        fc.constantFrom('step:1', 'step:999999', 'step:-1', 'step:x', 'header:1'),
      ),
      value: hostileShort,
      action_ts: fc.constant('1732250000.000100'),
      selected_options: fc.array(fc.record({ value: hostileShort }), { maxLength: 3 }),
    });
    const blockActions = fc.tuple(action, hostileShort).map(([a, ts]) =>
      blockActionsPayload({
        user: IC,
        channel: GENERAL,
        message: { ts: ts || '1.1', blocks: [] },
        actions: [a as never],
        state: { values: {} },
      }),
    );
    const views = fc
      .tuple(fc.constantFrom(...Object.values(VIEWS)), hostileShort, fc.jsonValue())
      .map(([callback, metadata, values]) =>
        viewSubmissionPayload({
          user: DECLARER,
          view: {
            callback_id: callback,
            private_metadata: metadata,
            state: {
              values: (values && typeof values === 'object' && !Array.isArray(values) ? values : {}) as never,
            },
          },
        }),
      );
    await fc.assert(
      fc.asyncProperty(fc.oneof(blockActions, views), async (payload) => {
        const res = await interaction(t.url, SECRET, payload);
        expect(res.status, res.text).toBeLessThan(500);
      }),
      { numRuns: 150, seed: SEED },
    );
  });
});

/** Every string Slack would render as mrkdwn (plain_text objects and ids are not rendered as markup). */
function renderedStrings(value: unknown, key = '', out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (!['value', 'private_metadata', 'action_id', 'block_id', 'callback_id', 'name', 'url'].includes(key))
      out.push(value);
  } else if (Array.isArray(value)) for (const v of value) renderedStrings(v, key, out);
  else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (obj.type === 'plain_text' && k === 'text') continue;
      renderedStrings(v, k, out);
    }
  }
  return out;
}

const PINGS = ['<!channel>', '<!here>', '<!everyone>', '<@U0HACKER1>', '<!subteam^S0HACKER1>', '<#C0HACKER1'];

describe('injection', { timeout: 60_000 }, () => {
  it('mentions and mrkdwn specials in titles, notes and alert labels never reach Slack unescaped', async () => {
    const since = t.slack.callsTo('chat.postMessage').length;
    const hostileTitle = `<!channel> <!here> <!everyone> <@U0HACKER1> <!subteam^S0HACKER1> <#C0HACKER1|x> *b* & <http://evil.example|click>`;
    await t.command(`declare P2 ${hostileTitle}`);
    const incident = (await t.bot.service.listOpen()).find((i) => i.title === hostileTitle);
    expect(incident?.channelId).toBeTruthy();
    const channel = incident?.channelId as string;
    await t.command(`status monitoring ${hostileTitle}`, { channel_id: channel });
    await t.command(`resolve ${hostileTitle}`, { channel_id: channel });
    const page = JSON.parse(fixture('alertmanager-firing.json')) as {
      alerts: { labels: Record<string, string>; annotations: Record<string, string> }[];
      commonLabels: Record<string, string>;
      groupKey: string;
    };
    page.groupKey = '{}:{alertname="Injected"}';
    for (const alert of page.alerts) {
      alert.labels.alertname = `Injected <!channel>`;
      alert.labels.instance = '<@U0HACKER1> $(touch /tmp/incident-bot-pwned) ../../etc/passwd';
      alert.annotations.summary = `<!here> pwned <!subteam^S0HACKER1>`;
      alert.annotations.description = '<#C0HACKER1|general> `rm -rf /`';
    }
    expect((await postWebhook(t.url, 'alertmanager', page)).status).toBeLessThan(300);
    await t.bot.intake.worker.idle();
    await t.bot.home.settled();

    const calls: RecordedCall[] = t.slack.calls.slice(0);
    expect(t.slack.callsTo('chat.postMessage').length).toBeGreaterThan(since);
    const leaks = calls.flatMap((call) =>
      renderedStrings(call.args)
        .filter((s) => PINGS.some((p) => s.includes(p)))
        .map((s) => `${call.method}: ${s.slice(0, 200)}`),
    );
    expect(leaks).toEqual([]);
    // The hostile text did reach Slack, escaped (so the check above looked at it).
    const rendered = calls.flatMap((call) => renderedStrings(call.args));
    expect(rendered.some((s) => s.includes('&lt;!channel&gt;'))).toBe(true);
    expect(rendered.some((s) => s.includes('&lt;@U0HACKER1&gt;'))).toBe(true);
  });
});
