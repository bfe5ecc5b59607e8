import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { PG_MIGRATIONS } from '../../src/store/sql/index.ts';
import { until } from '../support/botProcess.ts';
import type { FakeSlack, StoredMessage } from '../support/fakeSlack.ts';
import { type ReplicaRig, replicaRig } from '../support/replicaRig.ts';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  checkboxChange,
  event,
  findElement,
  interaction,
  slashCommand,
} from '../support/slackRequests.ts';
import { DECLARER, ESCALATIONS, GENERAL, IC } from '../support/testRunbooks.ts';
import { alertmanagerGroup, postWebhook } from '../support/webhooks.ts';

const SECRET = 'replicas-signing-secret-0123456789';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Waits up to 30 s: the replicas are whole Node processes sharing two cores with other test files. */
async function eventually(rig: ReplicaRig, what: string, sql: string, expected: number): Promise<void> {
  let count = -1;
  const end = Date.now() + 30_000;
  while (count !== expected) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${count} of ${expected}`);
    await new Promise((r) => setTimeout(r, 100));
    count = (await rig.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) q`))[0]?.n ?? -1;
  }
}

function firstStep(slack: FakeSlack, channel: string): StoredMessage[] {
  return slack.messages(channel).filter((m) => m.text.startsWith('Step 1 '));
}

function tick(rig: ReplicaRig, url: string, seen: StoredMessage, check: string) {
  const action = checkboxChange(seen, ACTIONS.toggleChecks, { check: [check] });
  return interaction(
    url,
    SECRET,
    blockActionsPayload({
      user: IC,
      channel: seen.channel,
      message: seen,
      actions: [action],
      response_url: rig.slack.responseUrl(),
    }),
  );
}

describe('two replicas on one PostgreSQL, requests spread over both', { timeout: 180_000 }, () => {
  it('one incident per alert group, one channel per declare, every tick kept, each escalation fired once', async () => {
    const rig = await replicaRig(cleanup, { secret: SECRET, env: { SCHEDULER_TICK_SECONDS: '1' } });
    const [a, b] = await rig.start(2);
    if (!a || !b) throw new Error('two replicas did not start');
    // Both started against an empty database at once: the migration lock let one migrate.
    expect(await rig.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(
      PG_MIGRATIONS.map((m) => ({ version: m.version })),
    );

    // 1. Alertmanager delivers the same group to both replicas at the same instant, twice over.
    const group = alertmanagerGroup({ alertname: 'CheckoutErrors', group: 'shop', alerts: 3 });
    const deliveries = await Promise.all(
      [a, b, a, b].map((r) => postWebhook(rig.url(r), 'alertmanager', group)),
    );
    expect(deliveries.map((d) => d.status < 300)).toEqual([true, true, true, true]);
    await eventually(rig, 'the paged incident', 'SELECT id FROM incidents WHERE header_ts IS NOT NULL', 1);

    // 2. Six declarations, alternating between the replicas, all at once.
    const titles = Array.from({ length: 6 }, (_, i) => `Replica declare ${i}`);
    await Promise.all(
      titles.map((title) =>
        slashCommand(rig.spread(), SECRET, {
          text: `declare P1 ${title}`,
          user_id: DECLARER,
          channel_id: GENERAL,
        }),
      ),
    );
    await eventually(rig, 'seven open incidents', 'SELECT id FROM incidents WHERE header_ts IS NOT NULL', 7);
    const incidents = await rig.query<{ id: number; title: string; channel_id: string }>(
      'SELECT id, title, channel_id FROM incidents ORDER BY id',
    );
    // The page's title sorts first ("C" < "R"); sorting the matcher itself would put it last.
    expect(incidents.map((i) => i.title).sort()).toEqual([
      expect.stringContaining('CheckoutErrors'),
      ...[...titles].sort(),
    ]);
    expect(new Set(incidents.map((i) => i.channel_id)).size).toBe(7);
    const created = rig.slack.callsTo('conversations.create').filter((c) => c.status === 200);
    expect(created).toHaveLength(7);
    for (const incident of incidents) {
      await until(
        `the first step of ${incident.title}`,
        () => firstStep(rig.slack, incident.channel_id).length > 0,
        30_000,
      );
      expect(firstStep(rig.slack, incident.channel_id)).toHaveLength(1);
    }

    // 3. Two responders tick two different checks of one step from the same view, one on each replica.
    const target = incidents[1] as { id: number; channel_id: string };
    const seen = firstStep(rig.slack, target.channel_id)[0] as StoredMessage;
    const ticks = await Promise.all([tick(rig, rig.url(a), seen, '0'), tick(rig, rig.url(b), seen, '1')]);
    expect(ticks.map((t) => t.status)).toEqual([200, 200]);
    const stepId = Number(findElement(seen.blocks, ACTIONS.toggleChecks)?.block.block_id.split(':')[1]);
    const checked = `SELECT id FROM incident_checks WHERE step_id = ${stepId} AND checked = 1 AND position IN (0, 1)`;
    await eventually(rig, 'both ticks', checked, 2);

    // 4. Every escalation timer comes due at once (distinct times keep each plan unique); both replicas tick.
    const escalations = await rig.query<{ id: number }>(
      "SELECT id FROM timers WHERE kind = 'escalate' AND fired_at IS NULL AND cancelled_at IS NULL ORDER BY id",
    );
    expect(escalations).toHaveLength(7);
    for (const [i, timer] of escalations.entries())
      await rig.query('UPDATE timers SET due_at = $1 WHERE id = $2', [
        new Date(Date.now() - 60_000 - i * 1000).toISOString(),
        timer.id,
      ]);
    await eventually(
      rig,
      'every escalation fired',
      `SELECT id FROM timers WHERE fired_at IS NOT NULL AND id IN (${escalations.map((t) => t.id).join(',')})`,
      7,
    );
    await Promise.all([a.stop(), b.stop()]);
    expect(rig.slack.messages(ESCALATIONS).filter((m) => /escalat/i.test(m.text))).toHaveLength(7);
    const owners = await rig.query<{ claimed_by: string }>(
      `SELECT DISTINCT claimed_by FROM timers WHERE id IN (${escalations.map((t) => t.id).join(',')})`,
    );
    expect(owners.every((o) => /^replica-[01]/.test(o.claimed_by))).toBe(true);
  });

  it('App Home opened on one replica is refreshed by a change made on the other', async () => {
    const rig = await replicaRig(cleanup, { secret: SECRET });
    const [a, b] = await rig.start(2);
    if (!a || !b) throw new Error('two replicas did not start');
    const tabsOf = (user: string) =>
      rig.slack
        .callsTo('views.publish')
        .filter((c) => c.args.user_id === user && c.status === 200)
        .map((c) => JSON.stringify(c.args.view));
    expect((await event(rig.url(a), SECRET, appHomeOpenedEvent({ user: IC }))).status).toBe(200);
    await until('the tab published by the replica it was opened on', () => tabsOf(IC).length > 0, 30_000);
    expect(tabsOf(IC).some((tab) => tab.includes('Declared on the other replica'))).toBe(false);

    await slashCommand(rig.url(b), SECRET, {
      text: 'declare P1 Declared on the other replica',
      user_id: DECLARER,
      channel_id: GENERAL,
    });
    await until(
      'the tab refreshed by the other replica',
      () => tabsOf(IC).some((tab) => tab.includes('Declared on the other replica')),
      30_000,
    );
  });
});
