import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerGroup, postWebhook, WEBHOOK_TOKEN } from '../support/webhooks.ts';
import { sqliteOf, startTestBot, type TestBot } from './testBot.ts';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ env: { WEBHOOK_TOKEN } });
});
afterAll(async () => {
  await t.stop();
});

/** The database's size on disk with the WAL folded in, as an operator's `du` would see it settle. */
function databaseBytes(): number {
  sqliteOf(t.bot).pragma('wal_checkpoint(TRUNCATE)');
  const db = new Database(t.dbPath, { readonly: true });
  try {
    const pages = Number(db.pragma('page_count', { simple: true }));
    const size = Number(db.pragma('page_size', { simple: true }));
    return pages * size;
  } finally {
    db.close();
  }
}

/** A full group the way Alertmanager resends it every repeat_interval: `alerts` alerts with long descriptions. */
function bigGroup(group: string, alerts: number, descriptionBytes: number) {
  const payload = alertmanagerGroup({ alertname: 'DiskFull', group, alerts });
  payload.alerts = payload.alerts.map((a, i) => ({
    ...a,
    annotations: { ...a.annotations, description: `${i}: ${'d'.repeat(descriptionBytes)}` },
  }));
  return payload;
}

async function drained(): Promise<void> {
  await t.bot.intake.worker.idle();
  await t.bot.jobs.idle();
}

describe('bounded storage', { timeout: 60_000 }, () => {
  it('stores the same 1 MB delivery sent 10 times once: the database grows by less than 1.2 MB', async () => {
    const body = JSON.stringify(bigGroup('repeat', 200, 4_800));
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body.length).toBeLessThan(1024 * 1024);
    await postWebhook(t.url, 'alertmanager', JSON.stringify(bigGroup('warm-up', 1, 10)));
    await drained();
    const before = databaseBytes();
    for (let i = 0; i < 10; i++) {
      const res = await postWebhook(t.url, 'alertmanager', body);
      expect(res.status).toBe(202);
      await drained();
    }
    const grown = databaseBytes() - before;
    expect(grown).toBeLessThan(1_200_000);
    const rows = sqliteOf(t.bot)
      .prepare(
        "SELECT count(*) AS n, count(DISTINCT body_hash) AS bodies FROM inbox WHERE dedup_key LIKE '%repeat%'",
      )
      .get() as { n: number; bodies: number };
    expect(rows).toEqual({ n: 10, bodies: 1 });
    // 200 alerts of one delivery are one timeline entry, not 200.
    const incident = (await t.bot.service.listOpen()).find((i) => i.title.startsWith('DiskFull') && i.id > 1);
    const alertEntries = (await t.bot.service.timeline(incident?.id ?? 0)).filter((e) => e.kind === 'alert');
    expect(alertEntries).toHaveLength(1);
    expect(alertEntries[0]?.text).toMatch(/^Alerts in one delivery: 200 firing: .+ \(\+195 more\)$/);
  });

  it('accepts 3 MB and 6 MB Alertmanager bodies: stored within 1 MiB, cut annotations first, then alerts', async () => {
    const cut = await postWebhook(t.url, 'alertmanager', JSON.stringify(bigGroup('cut', 600, 4_900)));
    const dropped = await postWebhook(
      t.url,
      'alertmanager',
      JSON.stringify(bigGroup('dropped', 2_000, 3_000)),
    );
    expect([cut.status, dropped.status]).toEqual([202, 202]);
    await drained();
    const stored = async (id: unknown) => {
      const item = await t.bot.store.inbox.get(Number(id));
      expect(item?.status).toBe('done');
      expect(Buffer.byteLength(item?.rawBody ?? '')).toBeLessThanOrEqual(1024 * 1024);
      return JSON.parse(item?.rawBody ?? '{}') as {
        alerts: { annotations: { description: string } }[];
        truncatedAlerts: number;
      };
    };
    // 3 MB: descriptions cut to 1,000 characters leave room for all 600 alerts.
    const a = await stored(cut.body.id);
    expect([a.alerts.length, a.truncatedAlerts]).toEqual([600, 0]);
    expect(a.alerts[0]?.annotations.description).toMatch(/^0: d{997}… \(truncated\)$/);
    // 6 MB: even cut, 2,000 alerts do not fit; the rest are counted the way Alertmanager counts its own.
    const b = await stored(dropped.body.id);
    expect(b.alerts.length).toBeGreaterThan(500);
    expect(b.alerts.length + b.truncatedAlerts).toBe(2_000);
    const open = await t.bot.service.listOpen();
    expect(open.filter((i) => i.channelId)).toHaveLength(open.length);
  });

  it('a 4,200-alert incident: /incident timeline and /incident postmortem stay within Slack limits', async () => {
    const { incident, channel } = await t.declare('declare P2 Alert flood in checkout');
    await t.bot.store.transaction(async (tx) => {
      for (let i = 0; i < 4_200; i++)
        await t.bot.service.note(
          incident.id,
          'bot',
          'alert',
          `Alert firing: DiskFull on pod-${i}`,
          { i },
          tx,
        );
    });
    const from = t.slack.calls.length;
    await t.command('timeline', { channel_id: channel });
    await t.command('postmortem', { channel_id: channel });
    const calls = t.slack.calls.slice(from);
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.status)).toEqual([200]);
    for (const post of posts) {
      expect((post.response as { ok: boolean }).ok).toBe(true);
      // Slack's 40,000-character cap on a message; the bot stays far below it.
      expect(JSON.stringify(post.args).length).toBeLessThan(16_000);
    }
    expect(String(posts[0]?.args.text)).toMatch(/: 42\d\d entries, in the file timeline-incident-\d+\.md$/);
    const files = calls
      .filter((c) => c.method === 'files.completeUploadExternal')
      .map((c) => JSON.stringify(c.args));
    expect(files).toHaveLength(2);
    expect(files[0]).toContain(`Timeline of incident #${incident.id} (42`);
    expect(files[1]).toContain(`Post-mortem draft: incident #${incident.id}`);
    const uploads = calls.filter((c) => c.method === 'upload_url').map((c) => Number(c.args.bytes));
    // The whole timeline and the whole post-mortem were uploaded, not a cut-down message.
    expect(uploads.every((bytes) => bytes > 4_200 * 30)).toBe(true);
  });
});
