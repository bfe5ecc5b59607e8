import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, secretScrubber } from '../../src/log.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { parsePrometheus } from '../support/prometheus.ts';
import { appHomeOpenedEvent, buttonClick, event } from '../support/slackRequests.ts';
import { fixture, WEBHOOK_TOKEN as PAGE_TOKEN, postWebhook } from '../support/webhooks.ts';
import { IC, OTHER, SECRET, startTestBot, TEST_POLICY, type TestBot } from './testBot.ts';

const ADMIN = 'U0ADMIN001';
const BOT_TOKEN = 'xoxb-test-token';
const WEBHOOK_TOKEN = 'whk-0123456789-webhook-bearer';
const PAGERDUTY_SECRET = 'pd-0123456789-signing-secret';

let t: TestBot | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

async function get(bot: TestBot, path: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${bot.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function scrape(bot: TestBot): Promise<Map<string, number>> {
  const res = await get(bot, '/metrics');
  expect(res.status).toBe(200);
  expect(res.type).toContain('text/plain');
  return parsePrometheus(res.text);
}

function commandText(result: { text: string }): string {
  return (JSON.parse(result.text) as { text: string }).text;
}

describe('GET /metrics', () => {
  it('parses as Prometheus text, and its counters move with what happens', async () => {
    const bot = await startTestBot();
    t = bot;
    const before = await scrape(bot);
    expect(before.get('incident_bot_incidents_declared_total{severity="P1",source="slash"}') ?? 0).toBe(0);
    // auth.test at start-up already went through the instrumented client.
    expect(before.get('incident_bot_slack_api_calls_total{method="auth.test",outcome="ok"}')).toBeGreaterThan(
      0,
    );

    bot.slack.rateLimitNext('pins.add', 0);
    bot.slack.failNext('usergroups.users.list', 'no_such_subteam');
    await bot.command('declare P1 Checkout latency high');

    const after = await scrape(bot);
    expect(after.get('incident_bot_incidents_declared_total{severity="P1",source="slash"}')).toBe(1);
    expect(after.get('incident_bot_incidents{severity="P1",status="declared"}')).toBe(1);
    expect(after.get('incident_bot_slack_api_calls_total{method="conversations.create",outcome="ok"}')).toBe(
      1,
    );
    expect(after.get('incident_bot_slack_api_calls_total{method="pins.add",outcome="ratelimited"}')).toBe(1);
    expect(after.get('incident_bot_slack_api_rate_limited_total{method="pins.add"}')).toBe(1);
    expect(
      after.get(
        'incident_bot_slack_api_calls_total{method="usergroups.users.list",outcome="no_such_subteam"}',
      ),
    ).toBe(1);
    expect(
      after.get('incident_bot_slack_handler_duration_seconds_count{kind="command",name="/incident"}'),
    ).toBe(1);
    expect(
      after.get('incident_bot_slack_api_duration_seconds_count{method="chat.postMessage"}'),
    ).toBeGreaterThan(0);
    // Defined for intake and the scheduler to feed, with their HELP text, even before they do.
    const text = (await get(bot, '/metrics')).text;
    for (const name of [
      'pages_received_total',
      'pages_deduplicated_total',
      'pages_failed_total',
      'timers_due_total',
      'timers_fired_late_total',
    ])
      expect(text).toContain(`# HELP incident_bot_${name} `);

    const channel = (await bot.bot.service.listOpen())[0]?.channelId ?? '';
    await bot.command('status investigating', { channel_id: channel, user_id: IC });
    const later = await scrape(bot);
    expect(later.get('incident_bot_incidents{severity="P1",status="investigating"}')).toBe(1);
    expect(later.get('incident_bot_incidents{severity="P1",status="declared"}')).toBeUndefined();
    expect(
      later.get('incident_bot_slack_handler_duration_seconds_count{kind="command",name="/incident"}'),
    ).toBe(2);
  });
});

describe('page and timer metrics', () => {
  it('count stored, repeated and refused pages, and timers as they fire', async () => {
    t = await startTestBot({ env: { WEBHOOK_TOKEN: PAGE_TOKEN } });
    const bot = t;
    const body = fixture('alertmanager-firing.json');
    expect((await postWebhook(bot.url, 'alertmanager', body)).status).toBe(202);
    expect((await postWebhook(bot.url, 'alertmanager', body)).status).toBe(202);
    expect((await postWebhook(bot.url, 'alertmanager', body, { authorization: 'Bearer wrong' })).status).toBe(
      401,
    );
    expect((await postWebhook(bot.url, 'generic', '{not json')).status).toBe(400);
    await bot.bot.intake.worker.idle();
    await bot.command('declare P1 Checkout errors');
    const incident = (await bot.bot.service.listOpen()).at(-1);
    await bot.bot.store.timers.schedule({
      incidentId: incident?.id ?? null,
      kind: 'noop_for_metrics',
      dueAt: new Date(Date.now() - 3_600_000),
    });
    await bot.bot.scheduler.tick();
    const m = await scrape(bot);
    // Alertmanager sends no delivery ID: both posts are stored, and the second is deduplicated by group.
    expect(m.get('incident_bot_pages_received_total{source="alertmanager"}')).toBe(2);
    expect(m.get('incident_bot_pages_deduplicated_total{source="alertmanager"}')).toBe(1);
    expect(m.get('incident_bot_pages_failed_total{reason="401",source="alertmanager"}')).toBe(1);
    expect(m.get('incident_bot_pages_failed_total{reason="400",source="generic"}')).toBe(1);
    expect(m.get('incident_bot_timers_due_total{kind="noop_for_metrics"}')).toBe(1);
    expect(m.get('incident_bot_timers_fired_late_total{kind="noop_for_metrics"}')).toBe(1);
  });
});

describe('a named replica', () => {
  it('labels every metric with REPLICA_ID and names itself and its database in /readyz', async () => {
    const bot = await startTestBot({ env: { REPLICA_ID: 'bot-b' } });
    t = bot;
    await bot.command('declare P1 Replica label');
    const m = await scrape(bot);
    expect(m.get('incident_bot_incidents_declared_total{replica="bot-b",severity="P1",source="slash"}')).toBe(
      1,
    );
    expect(m.get('incident_bot_incidents{replica="bot-b",severity="P1",status="declared"}')).toBe(1);
    expect(m.get('incident_bot_incidents_declared_total{severity="P1",source="slash"}')).toBeUndefined();
    const ready = await get(bot, '/readyz');
    expect(JSON.parse(ready.text)).toMatchObject({ ok: true, database: 'sqlite', replica: 'bot-b' });
  });
});

describe('GET /readyz', () => {
  it('is ready with a writable database, runbooks and Slack; says what is wrong otherwise', async () => {
    const bot = await startTestBot();
    t = bot;
    const ok = await get(bot, '/readyz');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({
      ok: true,
      database: 'sqlite',
      replica: null,
      checks: { database: null, runbooks: null, slack: null },
    });

    // Slack starts rejecting the token: not ready until a call succeeds again.
    bot.slack.failNext('auth.test', 'token_revoked');
    await expect(bot.bot.app.client.auth.test()).rejects.toThrow();
    const revoked = await get(bot, '/readyz');
    expect(revoked.status).toBe(503);
    expect(JSON.parse(revoked.text).checks.slack).toContain('token_revoked');
    await bot.bot.app.client.auth.test();
    expect((await get(bot, '/readyz')).status).toBe(200);

    bot.bot.store.close();
    const closed = await get(bot, '/readyz');
    expect(closed.status).toBe(503);
    expect(JSON.parse(closed.text).checks.database).toContain('not writable');
    // Liveness is a different question: the process is up.
    expect((await get(bot, '/healthz')).status).toBe(200);
  });
});

describe('logs', () => {
  it('a full run at debug level is JSON, includes Bolt’s own lines, and holds none of the secrets', async () => {
    const lines: string[] = [];
    // No secret scrubber here: this proves no path logs a secret at all, not merely that it gets masked.
    const log = createLogger('debug', { write: (line: string) => void lines.push(line) });
    const bot = await startTestBot({
      log,
      env: { LOG_LEVEL: 'debug', WEBHOOK_TOKEN, PAGERDUTY_WEBHOOK_SECRET: PAGERDUTY_SECRET },
    });
    t = bot;
    await event(bot.url, SECRET, appHomeOpenedEvent({ user: OTHER }));
    await bot.command('declare P1 Database connection pool exhausted');
    const channel = (await bot.bot.service.listOpen())[0]?.channelId ?? '';
    const header = bot.slack.messages(channel)[0] as StoredMessage;
    await bot.act(IC, header, buttonClick(header, ACTIONS.claimCommander));
    await bot.command('status identified pool too small', { channel_id: channel, user_id: IC });
    await bot.command('list');
    await bot.command('runbooks reload', { user_id: IC });
    bot.slack.failNext('chat.postMessage', 'invalid_auth');
    await bot.command('timeline', { channel_id: channel, user_id: IC });
    await bot.command('resolve fixed', { channel_id: channel, user_id: IC });
    await get(bot, '/metrics');
    await get(bot, '/readyz');

    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.some((l) => (JSON.parse(l) as { component?: string }).component === 'slack')).toBe(true);
    for (const secret of [BOT_TOKEN, SECRET, WEBHOOK_TOKEN, PAGERDUTY_SECRET])
      expect(all).not.toContain(secret);
  });

  it('masks a secret value even inside a message string', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) }, [BOT_TOKEN, SECRET]);
    log.info(`calling Slack with Bearer ${BOT_TOKEN}`);
    log.info({ nested: { header: `v0=${SECRET}` } }, 'signed');
    expect(lines.join('')).not.toContain(BOT_TOKEN);
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines.join('')).toContain('Bearer [redacted]');
    expect(secretScrubber(['short'])).toBeNull();
  });
});

describe('/incident runbooks reload', () => {
  it('is for admins and commanders; a broken file keeps its previous version and the error is reported', async () => {
    const bot = await startTestBot({ policy: `${TEST_POLICY}\nadmins: [${ADMIN}]\n` });
    t = bot;
    const refused = commandText(await bot.command('runbooks reload', { user_id: OTHER }));
    expect(refused).toContain('Only a bot admin');

    const file = bot.bot.runbooks().catalog.byId('RUN-001')?.source.file ?? '';
    const title = bot.bot.runbooks().catalog.byId('RUN-001')?.title;
    writeFileSync(file, '---\ntriggers: [unclosed\n---\n# RUN-001: Broken\n');
    const reply = commandText(await bot.command('runbooks reload', { user_id: ADMIN }));
    expect(reply).toContain('keep their previous version');
    expect(reply).toContain('front matter is not valid YAML');
    expect(bot.bot.runbooks().catalog.byId('RUN-001')?.title).toBe(title);

    // The commander of an open incident may reload too; a broken policy changes nothing.
    await bot.command('declare P2 Queue backlog growing');
    const channel = (await bot.bot.service.listOpen())[0]?.channelId ?? '';
    await bot.command(`commander <@${IC}>`, { channel_id: channel, user_id: IC });
    const policyFile = file.replace(/[^/\\]+$/, 'policy.yml');
    writeFileSync(policyFile, 'severities: [not, a, map]\n');
    const failed = commandText(await bot.command('runbooks reload', { user_id: IC }));
    expect(failed).toContain('Reload failed; the previous runbooks stay in use');
    expect(bot.bot.runbooks().policy.admins).toEqual([ADMIN]);

    const metrics = await scrape(bot);
    expect(metrics.get('incident_bot_runbook_reloads_total{outcome="partial"}')).toBe(1);
    expect(metrics.get('incident_bot_runbook_reloads_total{outcome="failed"}')).toBe(1);
  });
});
