import { copyFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STORM_KEY } from '../../src/intake/index.ts';
import { until } from '../support/botProcess.ts';
import {
  alertmanagerGroup,
  fixture,
  PD_OLD_SECRET,
  PD_SECRET,
  pdSignature,
  postWebhook,
  WEBHOOK_TOKEN,
} from '../support/webhooks.ts';
import {
  ANNOUNCE,
  runbooksDir,
  startTestBot,
  TEST_POLICY,
  type TestBot,
  type TestBotOptions,
} from './testBot.ts';

const ENV = { WEBHOOK_TOKEN, PAGERDUTY_WEBHOOK_SECRET: PD_SECRET };

let t: TestBot | undefined;
const cleanup: string[] = [];
afterEach(async () => {
  await t?.stop();
  t = undefined;
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: TestBotOptions = {}): Promise<TestBot> {
  t = await startTestBot({ ...options, env: { ...ENV, ...options.env } });
  return t;
}

/** Waits until the inbox worker has processed everything ready (no timing involved). */
async function drained(bot: TestBot): Promise<void> {
  await bot.bot.intake.worker.idle();
}

/** A cap for the tests that open many channels, for a loaded CI machine; nothing asserts a duration. */
const MANY = 60_000;

function withAlertPolicy(yaml: string): string {
  return `${TEST_POLICY}\nalerts:\n${yaml}\n`;
}

describe('alert labels', () => {
  it('are recorded with the paged incident, for diagnostics placeholders', async () => {
    const bot = await start();
    const body = fixture('alertmanager-firing.json');
    expect((await postWebhook(bot.url, 'alertmanager', body)).status).toBe(202);
    await drained(bot);
    const incident = (await bot.bot.service.listOpen())[0];
    const labels = JSON.parse(body).commonLabels as Record<string, string>;
    const recorded = await bot.bot.diagnostics.service.labelsFor(incident?.id ?? 0);
    expect(Object.keys(labels).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(labels)) expect(recorded[name]).toBe(value);
  });
});

describe('Alertmanager', () => {
  it('opens one channel for the same payload posted 5 times, with the alerts as first evidence', async () => {
    const bot = await start();
    const body = fixture('alertmanager-firing.json');
    for (let i = 0; i < 5; i++) {
      const res = await postWebhook(bot.url, 'alertmanager', body);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ ok: true, alerts: 2 });
      await drained(bot);
    }
    expect(bot.slack.callsTo('conversations.create')).toHaveLength(1);
    const [incident] = await bot.bot.service.listOpen();
    expect(incident).toMatchObject({
      source: 'alertmanager',
      severity: 'P1',
      runbookId: 'RUN-001',
      title: 'PostgresConnectionPoolHigh (cluster=prod-eu-1)',
    });
    expect(await bot.bot.store.inbox.list({ status: 'done' })).toHaveLength(5);

    // One evidence message: labels, annotations, summary and links, escaped.
    const channel = incident?.channelId ?? '';
    const evidence = bot.slack
      .messages(channel)
      .filter((m) => JSON.stringify(m.blocks).includes('pgbouncer-0:9127'));
    expect(evidence).toHaveLength(1);
    const text = JSON.stringify(evidence[0]?.blocks);
    expect(text).toContain('Connection pool above 90% on pgbouncer-1');
    expect(text).toContain('namespace=payments');
    expect(text).toContain('http://prometheus.example.com:9090/graph');
    expect(text).toContain('http://alertmanager.example.com:9093|Alertmanager');
    expect(text).toContain('<!date^');
    // Each alert is on the timeline once.
    const alerts = (await bot.bot.service.timeline(incident?.id ?? 0)).filter((e) => e.kind === 'alert');
    expect(alerts).toHaveLength(2);
  });

  it(
    'opens 20 incidents for 1,000 alerts in 20 groups',
    async () => {
      const bot = await start();
      for (let g = 0; g < 20; g++) {
        const res = await postWebhook(
          bot.url,
          'alertmanager',
          alertmanagerGroup({ alertname: 'ApiLatencyHigh', group: `cluster-${g}`, alerts: 50 }),
        );
        expect(res.status).toBe(202);
      }
      await drained(bot);
      const open = await bot.bot.service.listOpen();
      expect(open).toHaveLength(20);
      expect(bot.slack.callsTo('conversations.create')).toHaveLength(20);
      expect(new Set(open.map((i) => i.channelId)).size).toBe(20);
      for (const incident of open) {
        expect(incident.runbookId).toBe('RUN-003');
        // Issue 14: the 50 alerts of one delivery are one timeline entry that counts them all.
        const entries = (await bot.bot.service.timeline(incident.id)).filter((e) => e.kind === 'alert');
        expect(entries.map((e) => [e.text.slice(0, 34), e.data?.count])).toEqual([
          ['Alerts in one delivery: 50 firing:', 50],
        ]);
      }
    },
    MANY,
  );

  it('adds new alerts of a group to its incident and posts resolved alerts, keeping it open', async () => {
    const bot = await start();
    await postWebhook(bot.url, 'alertmanager', alertmanagerGroup({ alertname: 'X', group: 'a', alerts: 1 }));
    await drained(bot);
    await postWebhook(bot.url, 'alertmanager', alertmanagerGroup({ alertname: 'X', group: 'a', alerts: 3 }));
    await drained(bot);
    await postWebhook(
      bot.url,
      'alertmanager',
      alertmanagerGroup({ alertname: 'X', group: 'a', alerts: 3, status: 'resolved' }),
    );
    await drained(bot);
    expect(bot.slack.callsTo('conversations.create')).toHaveLength(1);
    const [incident] = await bot.bot.service.listOpen();
    expect(incident?.status).toBe('declared');
    // No runbook for alert X: RUN-000 alone.
    expect(incident?.runbookId).toBe('RUN-000');
    const entries = (await bot.bot.service.timeline(incident?.id ?? 0)).filter((e) => e.kind === 'alert');
    expect(entries.map((e) => e.text.split(':')[0])).toEqual([
      'Alert firing',
      'Alert firing',
      'Alert firing',
      'Alert resolved',
      'Alert resolved',
      'Alert resolved',
    ]);
    const posted = bot.slack.messages(incident?.channelId ?? '').map((m) => m.text);
    expect(posted.filter((m) => m.startsWith('Alertmanager:'))).toEqual([
      expect.stringContaining('1 alert firing'),
      expect.stringContaining('2 alerts firing'),
      expect.stringContaining('3 alerts resolved'),
    ]);
  });

  it('auto-resolves when policy says so and all alerts resolved', async () => {
    const bot = await start({ policy: withAlertPolicy('  auto_resolve: true') });
    await postWebhook(bot.url, 'alertmanager', alertmanagerGroup({ alertname: 'X', group: 'a', alerts: 2 }));
    await drained(bot);
    await postWebhook(
      bot.url,
      'alertmanager',
      alertmanagerGroup({ alertname: 'X', group: 'a', alerts: 2, status: 'resolved' }),
    );
    await drained(bot);
    expect(await bot.bot.service.listOpen()).toHaveLength(0);
    // The group fires again: a new incident.
    await postWebhook(
      bot.url,
      'alertmanager',
      alertmanagerGroup({ alertname: 'X', group: 'a', alerts: 2, startMinute: 30 }),
    );
    await drained(bot);
    expect(await bot.bot.service.listOpen()).toHaveLength(1);
    expect(bot.slack.callsTo('conversations.create')).toHaveLength(2);
  });

  it('schedules the post-mortem when the alert policy auto-resolves the page, as a responder resolving would', async () => {
    const bot = await start({ policy: withAlertPolicy('  auto_resolve: true') });
    await postWebhook(bot.url, 'alertmanager', alertmanagerGroup({ alertname: 'X', group: 'a', alerts: 1 }));
    await drained(bot);
    const [opened] = await bot.bot.service.listOpen();
    if (!opened?.channelId) throw new Error('the page opened no incident channel');
    await postWebhook(
      bot.url,
      'alertmanager',
      alertmanagerGroup({ alertname: 'X', group: 'a', alerts: 1, status: 'resolved' }),
    );
    await drained(bot);
    const resolved = await bot.bot.service.get(opened.id);
    expect(resolved.status).toBe('resolved');
    const dueAfter = bot.bot.runbooks().policy.postmortem.due_after;
    expect(await bot.bot.store.postmortems.get(opened.id)).toMatchObject({
      incidentId: opened.id,
      dueAt: new Date(Date.parse(resolved.resolvedAt as string) + dueAfter).toISOString(),
      doneAt: null,
    });
    expect((await bot.bot.store.timeline.last(opened.id, 'postmortem_scheduled'))?.actor).toBe('bot');
    const texts = bot.slack.messages(opened.channelId).map((m) => m.text);
    expect(texts.filter((text) => text === 'Post-mortem scheduled')).toHaveLength(1);
  });

  it('maps severity through the policy; P0 only where policy maps it', async () => {
    const bot = await start({
      policy: withAlertPolicy('  severity_map: { critical: P0, warning: P2 }\n  default_severity: P3'),
    });
    await postWebhook(bot.url, 'alertmanager', alertmanagerGroup({ alertname: 'A', group: 'a', alerts: 1 }));
    await postWebhook(
      bot.url,
      'alertmanager',
      alertmanagerGroup({ alertname: 'B', group: 'b', alerts: 1, severity: 'warning' }),
    );
    await postWebhook(
      bot.url,
      'alertmanager',
      alertmanagerGroup({ alertname: 'C', group: 'c', alerts: 1, severity: 'none' }),
    );
    await drained(bot);
    expect((await bot.bot.service.listOpen()).map((i) => i.severity)).toEqual(['P0', 'P2', 'P3']);
  });

  it('opens an alert named like a corpus runbook H1 with that runbook’s steps', async () => {
    const dir = runbooksDir();
    cleanup.push(dir);
    copyFileSync(
      'test/fixtures/corpus/prometheus-operator__runbooks/content__runbooks__kubernetes__KubePodCrashLooping.md',
      join(dir, 'KubePodCrashLooping.md'),
    );
    const bot = await start({ env: { RUNBOOKS_DIR: dir } });
    const res = await postWebhook(
      bot.url,
      'alertmanager',
      alertmanagerGroup({ alertname: 'KubePodCrashLooping', group: 'prod', alerts: 1, severity: 'warning' }),
    );
    expect(res.status).toBe(202);
    await drained(bot);
    const [incident] = await bot.bot.service.listOpen();
    expect(incident?.runbookId).toBe('KubePodCrashLooping');
    expect(incident?.severity).toBe('P2');
    const steps = (await bot.bot.service.steps(incident?.id ?? 0)).filter((s) => s.section === 'step');
    expect(steps.map((s) => s.title)).toEqual(['Diagnosis', 'Mitigation']);
    const channel = incident?.channelId ?? '';
    expect(bot.slack.messages(channel).some((m) => JSON.stringify(m.blocks).includes('Diagnosis'))).toBe(
      true,
    );
  });

  it('accepts basic auth with the token as password; refuses a bad or missing token with 401', async () => {
    const bot = await start();
    const body = fixture('alertmanager-firing.json');
    const basic = Buffer.from(`alertmanager:${WEBHOOK_TOKEN}`).toString('base64');
    expect(
      (await postWebhook(bot.url, 'alertmanager', body, { authorization: `Basic ${basic}` })).status,
    ).toBe(202);
    const wrong = await postWebhook(bot.url, 'alertmanager', body, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/Wrong token/);
    const missing = await postWebhook(bot.url, 'alertmanager', body, {});
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatch(/Authorization: Bearer/);
    await drained(bot);
    expect(await bot.bot.store.inbox.list()).toHaveLength(1);
  });

  it('answers 400 with the reason for bad JSON or a wrong schema, and 413 over 10 MiB (issue 14: Alertmanager does not retry a 4xx)', async () => {
    const bot = await start();
    const bad = await postWebhook(bot.url, 'alertmanager', '{"version": "4", ');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/not valid JSON/);
    const schema = await postWebhook(bot.url, 'alertmanager', { version: '4', status: 'firing', alerts: [] });
    expect(schema.status).toBe(400);
    expect(schema.body.error).toMatch(/receiver/);
    expect(schema.body.error).toMatch(/alerts: must hold at least one alert/);
    const huge = await postWebhook(bot.url, 'alertmanager', `{"pad":"${'x'.repeat(10 * 1024 * 1024)}"}`);
    expect(huge.status).toBe(413);
    expect(await bot.bot.store.inbox.list()).toHaveLength(0);
  });

  it(
    'processes pages stored before a restart once',
    async () => {
      const bot = await start();
      // Stop the worker: pages are stored (and answered) but not processed, as if the process died.
      await bot.bot.intake.worker.stop();
      for (const g of ['a', 'b', 'c']) {
        const res = await postWebhook(
          bot.url,
          'alertmanager',
          alertmanagerGroup({ alertname: 'X', group: g, alerts: 2 }),
        );
        expect(res.status).toBe(202);
      }
      expect(await bot.bot.store.inbox.list({ status: 'pending' })).toHaveLength(3);
      expect(bot.slack.callsTo('conversations.create')).toHaveLength(0);

      await bot.restart();
      await drained(bot);
      expect(bot.slack.callsTo('conversations.create')).toHaveLength(3);
      expect(await bot.bot.store.inbox.list({ status: 'done' })).toHaveLength(3);

      // Every side effect of the first run is done (invites can still be queued when the pages are),
      // so a second restart finds nothing to do: no Slack call beyond the start-up auth.test.
      await until('every side effect done', async () => {
        await bot.bot.jobs.idle();
        const jobs = await bot.bot.store.jobs.counts();
        return jobs.queued === 0 && jobs.retrying === 0;
      });
      const before = bot.slack.calls.length;
      await bot.restart();
      await drained(bot);
      expect(bot.slack.calls.slice(before).filter((c) => c.method !== 'auth.test')).toEqual([]);
      expect(await bot.bot.service.listOpen()).toHaveLength(3);
    },
    MANY,
  );

  it('keeps a page whose Slack side effects failed and retries them', async () => {
    const bot = await start();
    bot.slack.failNext('conversations.create', 'fatal_error');
    bot.slack.failNext('chat.postMessage', 'fatal_error', 1_000);
    await postWebhook(bot.url, 'alertmanager', alertmanagerGroup({ alertname: 'X', group: 'a', alerts: 1 }));
    await drained(bot);
    // The page itself is processed (the incident is recorded); opening its channel waits in the job queue.
    expect(await bot.bot.store.inbox.list({ status: 'done' })).toHaveLength(1);
    const [declared] = await bot.bot.service.listOpen();
    if (!declared) throw new Error('the page declared no incident');
    const [channelJob] = await bot.bot.store.jobs.forIncident(declared.id);
    expect(channelJob).toMatchObject({
      kind: 'incident.channel',
      status: 'queued',
      lastError: 'fatal_error',
    });
    expect(Date.parse(channelJob?.nextAttemptAt ?? '')).toBeGreaterThan(Date.now());
    expect(declared.channelId).toBeNull();
    bot.slack.reset();
    // Make the retry due now instead of waiting for it.
    expect(await bot.bot.store.jobs.wakeRetrying()).toBe(1);
    await bot.bot.jobs.runIncident(declared.id);
    const [incident] = await bot.bot.service.listOpen();
    expect(await bot.bot.service.listOpen()).toHaveLength(1);
    expect(incident?.channelId).not.toBeNull();
    expect(bot.slack.callsTo('conversations.create').filter((c) => c.status === 200)).toHaveLength(1);
    expect((await bot.bot.store.jobs.forIncident(declared.id)).every((j) => j.status === 'done')).toBe(true);
  });
});

describe('storm control', () => {
  it(
    'joins alert groups past the threshold into one storm incident with a summary',
    async () => {
      const bot = await start({ policy: withAlertPolicy('  storm: { threshold: 3, window: 10m }') });
      for (let g = 0; g < 10; g++) {
        await postWebhook(
          bot.url,
          'alertmanager',
          alertmanagerGroup({ alertname: g % 2 ? 'DiskFull' : 'ApiDown', group: `c${g}`, alerts: 5 }),
        );
      }
      await drained(bot);
      const open = await bot.bot.service.listOpen();
      expect(open).toHaveLength(4);
      expect(bot.slack.callsTo('conversations.create')).toHaveLength(4);
      const storm = open.find((i) => i.title.startsWith('Alert storm'));
      expect(storm).toBeDefined();
      expect((await bot.bot.store.alertLinks.findOpen('generic', STORM_KEY))?.incidentId).toBe(storm?.id);
      const summaries = bot.slack
        .messages(storm?.channelId ?? '')
        .filter((m) => m.text.startsWith('Alert storm:'));
      expect(summaries.length).toBeGreaterThan(0);
      const text = JSON.stringify(summaries.map((m) => m.blocks));
      expect(text).toContain('DiskFull');
      expect(text).toContain('ApiDown');
      expect(
        (await bot.bot.service.timeline(storm?.id ?? 0)).filter((e) => e.kind === 'storm_join'),
      ).toHaveLength(7);
      // More alerts of a joined group stay in the storm incident.
      await postWebhook(
        bot.url,
        'alertmanager',
        alertmanagerGroup({ alertname: 'DiskFull', group: 'c9', alerts: 8 }),
      );
      await drained(bot);
      expect(await bot.bot.service.listOpen()).toHaveLength(4);
    },
    MANY,
  );
});

describe('PagerDuty', () => {
  it('accepts two signatures during a secret rotation, dedups on X-Webhook-Id, refuses a wrong one', async () => {
    const bot = await start();
    const body = fixture('pagerduty-incident-triggered.json');
    const rotated = pdSignature(body, PD_OLD_SECRET, PD_SECRET);
    const ok = await postWebhook(bot.url, 'pagerduty', body, {
      'x-pagerduty-signature': rotated,
      'x-webhook-id': 'wh-1',
    });
    expect(ok.status).toBe(202);
    const again = await postWebhook(bot.url, 'pagerduty', body, {
      'x-pagerduty-signature': rotated,
      'x-webhook-id': 'wh-1',
    });
    expect(again.status).toBe(202);
    expect(again.body.duplicate).toBe(true);
    const wrong = await postWebhook(bot.url, 'pagerduty', body, {
      'x-pagerduty-signature': pdSignature(body, PD_OLD_SECRET),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/PAGERDUTY_WEBHOOK_SECRET/);
    await drained(bot);
    expect(await bot.bot.store.inbox.list()).toHaveLength(1);
    const [incident] = await bot.bot.service.listOpen();
    expect(incident).toMatchObject({
      source: 'pagerduty',
      severity: 'P1',
      title: 'Checkout API error rate above 5%',
    });

    // An acknowledgement joins the same incident; a resolve is posted, the incident stays open.
    for (const [id, type] of [
      ['ev-ack', 'incident.acknowledged'],
      ['ev-res', 'incident.resolved'],
    ] as const) {
      const event = JSON.parse(body) as { event: Record<string, unknown> };
      event.event.id = id;
      event.event.event_type = type;
      const text = JSON.stringify(event);
      const res = await postWebhook(bot.url, 'pagerduty', text, {
        'x-pagerduty-signature': pdSignature(text, PD_SECRET),
        'x-webhook-id': id,
      });
      expect(res.status).toBe(202);
    }
    await drained(bot);
    expect(bot.slack.callsTo('conversations.create')).toHaveLength(1);
    const kinds = (await bot.bot.service.timeline(incident?.id ?? 0)).filter((e) => e.kind === 'alert');
    expect(kinds.map((e) => e.text)).toEqual([
      'Alert firing: Checkout API error rate above 5%',
      'Alert incident.acknowledged: Checkout API error rate above 5%',
      'Alert resolved: Checkout API error rate above 5%',
    ]);
  });
});

describe('generic webhook', () => {
  it('opens one incident per dedup_key, routed by the runbook it names', async () => {
    const bot = await start();
    const payload = JSON.parse(fixture('generic.json')) as Record<string, unknown>;
    await postWebhook(bot.url, 'generic', { ...payload, runbook: 'RUN-011' });
    await postWebhook(bot.url, 'generic', { ...payload, runbook: 'RUN-011' });
    await postWebhook(bot.url, 'generic', { ...payload, summary: 'It failed again', runbook: 'RUN-011' });
    await drained(bot);
    const [incident] = await bot.bot.service.listOpen();
    expect(await bot.bot.service.listOpen()).toHaveLength(1);
    expect(incident).toMatchObject({ source: 'generic', severity: 'P2', runbookId: 'RUN-011' });
    expect(
      (await bot.bot.service.timeline(incident?.id ?? 0)).filter((e) => e.kind === 'alert'),
    ).toHaveLength(2);
    const missing = await postWebhook(bot.url, 'generic', { title: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/dedup_key/);
  });

  it('escapes alert text: a label of <!channel> pings nobody', async () => {
    const bot = await start();
    await postWebhook(bot.url, 'generic', {
      title: 'Hello <!channel>',
      dedup_key: 'x',
      details: { who: '<!here> & <@U123>' },
      links: [{ text: 'bad', url: 'javascript:alert(1)' }],
    });
    await drained(bot);
    const [incident] = await bot.bot.service.listOpen();
    const all = JSON.stringify(bot.slack.messages(incident?.channelId ?? ''));
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
    expect(all).not.toContain('<javascript:');
    expect(JSON.stringify(bot.slack.messages(ANNOUNCE))).not.toContain('<!channel>');
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

describe('Socket Mode', () => {
  it('serves the webhooks on PORT too', async () => {
    const bot = await start({ processBeforeResponse: false, socketMode: { port: await freePort() } });
    const res = await postWebhook(bot.url, 'alertmanager', fixture('alertmanager-firing.json'));
    expect(res.status).toBe(202);
    await drained(bot);
    expect(await bot.bot.service.listOpen()).toHaveLength(1);
  });
});
