import { afterEach, describe, expect, it } from 'vitest';
import { type BotProcess, until } from '../support/botProcess.ts';
import { type ReplicaRig, replicaRig } from '../support/replicaRig.ts';
import { slashCommand } from '../support/slackRequests.ts';
import { DECLARER, ESCALATIONS, GENERAL } from '../support/testRunbooks.ts';
import { alertmanagerGroup, postWebhook } from '../support/webhooks.ts';

const SECRET = 'failover-signing-secret-0123456789';
const LEASE_SECONDS = 5;
const DOOMED_TOKEN = 'xoxb-doomed-replica';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function rows(rig: ReplicaRig, what: string, sql: string, expected: number): Promise<void> {
  let count = -1;
  const end = Date.now() + 60_000;
  while (count !== expected) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${count} of ${expected}`);
    await new Promise((r) => setTimeout(r, 100));
    count = (await rig.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) q`))[0]?.n ?? -1;
  }
}

describe('SIGKILL one of two replicas in the middle of an incident', { timeout: 180_000 }, () => {
  it('the other finishes the due escalation and opens the paged incident once the leases expire, each once', async () => {
    const rig = await replicaRig(cleanup, {
      secret: SECRET,
      env: { SCHEDULER_TICK_SECONDS: '1', LEASE_SECONDS: String(LEASE_SECONDS) },
    });
    // Its own token tells its Slack calls apart from the survivor's, so only the doomed replica's calls hang.
    const [doomed] = (await rig.start(1, { SLACK_BOT_TOKEN: DOOMED_TOKEN })) as [BotProcess];
    await slashCommand(rig.url(doomed), SECRET, {
      text: 'declare P1 Failover',
      user_id: DECLARER,
      channel_id: GENERAL,
    });
    await rows(rig, 'the declared incident', 'SELECT id FROM incidents WHERE header_ts IS NOT NULL', 1);

    // From here Slack never answers the doomed replica's escalation posts or channel creations: it is stuck
    // inside the work it took, as if it died mid-call. (Hanging the survivor's calls too, while it starts, let
    // a call of it outlast the 5 s lease on a loaded machine, and the job ran twice.)
    const never = () => new Promise<undefined>(() => undefined);
    const doomedCall = (token: string | undefined) => token === DOOMED_TOKEN;
    rig.slack.on('chat.postMessage', (args, _i, { call }) =>
      doomedCall(call.token) && args.channel === ESCALATIONS ? never() : undefined,
    );
    rig.slack.on('conversations.create', (_args, _i, { call }) =>
      doomedCall(call.token) ? never() : undefined,
    );

    const [timer] = await rig.query<{ id: number }>(
      "SELECT id FROM timers WHERE kind = 'escalate' AND fired_at IS NULL AND cancelled_at IS NULL",
    );
    if (!timer) throw new Error('the P1 incident planned no escalation timer');
    await rig.query('UPDATE timers SET due_at = $1 WHERE id = $2', [
      new Date(Date.now() - 60_000).toISOString(),
      timer.id,
    ]);
    // Counted before the page goes in: its channel creation may start before the timer's lease is seen.
    const creating = () => rig.slack.callsTo('conversations.create').length;
    const before = creating();
    const page = alertmanagerGroup({ alertname: 'QueueBacklog', group: 'billing', alerts: 2 });
    expect((await postWebhook(rig.url(doomed), 'alertmanager', page)).status).toBeLessThan(300);
    await rows(
      rig,
      'the timer leased to replica-0',
      `SELECT id FROM timers WHERE id = ${timer.id} AND claimed_by = 'replica-0'`,
      1,
    );
    await rows(rig, 'the paged incident stored', 'SELECT id FROM incidents', 2);
    await until('the stuck channel creation', () => creating() > before, 30_000);

    // The second replica is up while the first holds both; then the first is killed with -9.
    const [survivor] = (await rig.start(1)) as [BotProcess];
    await doomed.kill9();
    // Another page through the survivor meanwhile: the load balancer sends everything there now.
    const later = alertmanagerGroup({ alertname: 'DiskFull', group: 'search', alerts: 1 });
    expect((await postWebhook(rig.url(survivor), 'alertmanager', later)).status).toBeLessThan(300);

    await rows(
      rig,
      'the escalation fired',
      `SELECT id FROM timers WHERE id = ${timer.id} AND fired_at IS NOT NULL`,
      1,
    );
    await rows(
      rig,
      'three incidents with channels',
      'SELECT id FROM incidents WHERE header_ts IS NOT NULL',
      3,
    );
    // The brief the dead replica had claimed (its post hung) is posted by the survivor once that job's lease expires.
    const briefs = () => rig.slack.messages(ESCALATIONS).filter((m) => /escalat/i.test(m.text));
    await until('the escalation brief posted', () => briefs().length > 0, 30_000);
    expect(await survivor.stop()).toBe(0);

    // The firing queues its Slack posts as jobs and completes without waiting for Slack, so the dead replica
    // may have completed it before the kill (then its hung brief job is what the survivor takes over) or
    // not (then the survivor fires the timer when the lease expires). Either way: fired once, by one of them.
    // (The lease takeover itself is deterministic in test/store/sql/timerLease.contract.test.ts.)
    const [holder] = await rig.query<{ claimed_by: string }>('SELECT claimed_by FROM timers WHERE id = $1', [
      timer.id,
    ]);
    expect(['replica-0', 'replica-1']).toContain(holder?.claimed_by);
    expect(briefs()).toHaveLength(1);
    // Both replicas ran the firing; its timeline entry is keyed by the timer, so it is there once.
    expect(
      await rig.query(
        "SELECT count(*)::int AS n FROM timeline WHERE kind = 'escalation' AND incident_id = (SELECT incident_id FROM timers WHERE id = $1)",
        [timer.id],
      ),
    ).toEqual([{ n: 1 }]);
    const channels = await rig.query<{ channel_id: string }>('SELECT channel_id FROM incidents');
    expect(new Set(channels.map((c) => c.channel_id)).size).toBe(3);
    expect(rig.slack.callsTo('conversations.create').filter((c) => c.status === 200)).toHaveLength(3);
    expect(rig.slack.channels().filter((c) => c.name?.startsWith('inc-'))).toHaveLength(3);
  });
});
