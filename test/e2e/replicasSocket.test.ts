import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/botProcess.ts';
import { replicaRig } from '../support/replicaRig.ts';
import { slashCommandFields } from '../support/slackRequests.ts';
import { DECLARER, GENERAL } from '../support/testRunbooks.ts';

const SECRET = 'replicas-socket-secret-0123456789';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('two replicas in Socket Mode on one PostgreSQL', { timeout: 180_000 }, () => {
  it('each replica holds a connection; declares spread over both, and one redelivered to the other, open one incident each', async () => {
    const rig = await replicaRig(cleanup, { secret: SECRET, socketMode: true });
    const socket = rig.socket;
    if (!socket) throw new Error('the rig started no Socket Mode fake');
    await rig.start(2);
    await until('both replicas connected', () => socket.connectionCount() === 2, 30_000);

    // Slack hands each envelope to one of the open connections: alternate them.
    const declares = Array.from({ length: 4 }, (_, i) =>
      slashCommandFields({
        text: `declare P1 Socket replica ${i}`,
        user_id: DECLARER,
        channel_id: GENERAL,
        response_url: rig.slack.responseUrl(),
      }),
    );
    const acks = await Promise.all(
      declares.map((fields, i) => socket.sendEnvelope('slash_commands', fields, { connection: i })),
    );
    expect(acks.map((a) => JSON.stringify(a.payload).includes('Declaring a P1 incident'))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    // The first declare delivered again, this time to the other replica (same trigger_id): not acted on twice.
    await socket.sendEnvelope('slash_commands', declares[0], { connection: 1 });

    const opened = async () =>
      rig.query<{ title: string; channel_id: string }>(
        'SELECT title, channel_id FROM incidents WHERE header_ts IS NOT NULL ORDER BY id',
      );
    await until('four incidents with channels', async () => (await opened()).length === 4, 30_000);
    const incidents = await opened();
    expect(incidents.map((i) => i.title).sort()).toEqual(declares.map((_, i) => `Socket replica ${i}`));
    expect(new Set(incidents.map((i) => i.channel_id)).size).toBe(4);
    expect(await rig.query('SELECT id FROM incidents')).toHaveLength(4);
    expect(rig.slack.callsTo('conversations.create').filter((c) => c.status === 200)).toHaveLength(4);
  });
});
