import { afterAll, describe, expect, it } from 'vitest';
import { processRig } from '../support/processRig.ts';
import { alertmanagerGroup, postWebhook } from '../support/webhooks.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('two bot processes on one database file', { timeout: 60_000 }, () => {
  it('the second refuses to start, naming the first; after a kill -9 of the first it starts', async () => {
    const { slack, env, start } = await processRig(cleanup, { name: 'writer', secret: 'writer-secret' });
    const first = await start();
    const refused = await start().then(
      () => 'started',
      (error: unknown) => String(error),
    );
    expect(refused).toContain('bot exited (1) before starting');
    expect(refused).toContain(
      `incident-bot cannot start:\nThe database ${env.DATABASE_PATH} is in use by incident-bot pid ${first.child.pid} on host`,
    );
    expect(refused).toContain('Only one bot process may write to it: stop that process first');

    // One group delivered to the running bot opens one incident and one channel.
    const group = alertmanagerGroup({ alertname: 'DiskFull', group: 'shared', alerts: 1 });
    expect((await postWebhook(`http://127.0.0.1:${first.port}`, 'alertmanager', group)).status).toBe(202);
    await first.kill9();
    // Its lock is a dead process's: the next bot takes over at once, and the group's repeat opens nothing new.
    const second = await start();
    expect((await postWebhook(`http://127.0.0.1:${second.port}`, 'alertmanager', group)).status).toBe(202);
    expect(await second.stop()).toBe(0);
    expect(slack.callsTo('conversations.create').filter((c) => c.status === 200)).toHaveLength(1);
  });
});
