import { afterEach, describe, expect, it } from 'vitest';
import { type BotProcess, until } from '../support/botProcess.ts';
import { type ReplicaRig, replicaRig } from '../support/replicaRig.ts';
import { slashCommand } from '../support/slackRequests.ts';
import { DECLARER, ESCALATIONS, GENERAL } from '../support/testRunbooks.ts';
import { alertmanagerGroup, postWebhook } from '../support/webhooks.ts';

const SECRET = 'lease-renewal-signing-secret-0123456';
const LEASE_SECONDS = 5;
/** Longer than a lease plus a job tick, shorter than the bot's 10 s Slack call timeout. */
const SLOW_CALL_MS = 7_000;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function count(rig: ReplicaRig, sql: string): Promise<number> {
  return (await rig.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) q`))[0]?.n ?? -1;
}

describe('work that outlasts its lease on one of two live replicas', { timeout: 180_000 }, () => {
  it('posts the escalation brief once and creates the paged channel once', async () => {
    const rig = await replicaRig(cleanup, {
      secret: SECRET,
      env: { SCHEDULER_TICK_SECONDS: '1', LEASE_SECONDS: String(LEASE_SECONDS) },
    });
    const [first, second] = (await rig.start(2)) as [BotProcess, BotProcess];
    await slashCommand(rig.url(first), SECRET, {
      text: 'declare P1 Slow Slack',
      user_id: DECLARER,
      channel_id: GENERAL,
      response_url: rig.slack.responseUrl(),
    });
    await until(
      'the declared incident open',
      async () => {
        return (await count(rig, 'SELECT id FROM incidents WHERE header_ts IS NOT NULL')) === 1;
      },
      60_000,
    );
    const creates = () => rig.slack.callsTo('conversations.create');
    expect(creates()).toHaveLength(1);

    // From here the first escalation post and the first channel creation take longer than a lease to answer
    // (as when a call times out and is retried, or waits out a Retry-After), then succeed. Both replicas
    // are alive and scanning for work every second the whole time.
    const slowOnce = () => {
      let slowed = false;
      return async () => {
        if (slowed) return undefined;
        slowed = true;
        await new Promise((resolve) => setTimeout(resolve, SLOW_CALL_MS));
        return undefined;
      };
    };
    const slowBrief = slowOnce();
    rig.slack.on('chat.postMessage', (args) => (args.channel === ESCALATIONS ? slowBrief() : undefined));
    rig.slack.on('conversations.create', slowOnce());

    await rig.query(
      "UPDATE timers SET due_at = $1 WHERE kind = 'escalate' AND fired_at IS NULL AND cancelled_at IS NULL",
      [new Date(Date.now() - 60_000).toISOString()],
    );
    const page = alertmanagerGroup({ alertname: 'QueueBacklog', group: 'billing', alerts: 2 });
    expect((await postWebhook(rig.url(second), 'alertmanager', page)).status).toBeLessThan(300);

    const briefs = () => rig.slack.messages(ESCALATIONS).filter((m) => /escalat/i.test(m.text));
    await until('the brief posted', () => briefs().length > 0, 60_000);
    await until(
      'the paged incident open',
      async () => {
        return (await count(rig, 'SELECT id FROM incidents WHERE header_ts IS NOT NULL')) === 2;
      },
      60_000,
    );
    // Nothing is left to run: a second run of either would have started (after 5 s) before these finished (7 s).
    await until(
      'every side effect finished',
      async () => {
        return (await count(rig, "SELECT id FROM jobs WHERE status = 'queued'")) === 0;
      },
      60_000,
    );

    expect(briefs()).toHaveLength(1);
    expect(rig.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ESCALATIONS)).toHaveLength(
      1,
    );
    expect(creates().map((c) => c.status)).toEqual([200, 200]);
    expect(rig.slack.channels().filter((c) => c.name?.startsWith('inc-'))).toHaveLength(2);
    // Each side effect was claimed once: the slow ones' leases were renewed, not taken over.
    expect(await count(rig, 'SELECT id FROM jobs WHERE attempts <> 1')).toBe(0);
    expect(await count(rig, "SELECT id FROM jobs WHERE status = 'done'")).toBeGreaterThan(0);
  });
});
