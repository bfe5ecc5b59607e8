import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { findElement, slashCommandFields } from '../support/slackRequests.ts';
import { DECLARER, GENERAL, startTestBot } from './testBot.ts';

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

it('declares through Socket Mode: envelope acked, channel opened, header pinned, /healthz served', async () => {
  const port = await freePort();
  const t = await startTestBot({ processBeforeResponse: false, socketMode: { port } });
  try {
    expect(t.bot.server).toBeNull();
    const socket = t.socket;
    if (!socket) throw new Error('no socket fake');
    await socket.waitForConnection();
    const ack = await socket.sendEnvelope(
      'slash_commands',
      slashCommandFields({
        text: 'declare P1 Queue backlog growing',
        user_id: DECLARER,
        channel_id: GENERAL,
        response_url: t.slack.responseUrl(),
      }),
    );
    expect(JSON.stringify(ack.payload)).toContain('Declaring a P1 incident');
    await t.slack.waitFor('response_url', undefined, 5000);
    const incident = (await t.bot.service.listOpen())[0];
    expect(incident?.channelName).toMatch(/^inc-\d{8}-1-queue-backlog-growing$/);
    const [header, ...rest] = t.slack.messages(incident?.channelId as string);
    expect(header?.pinned).toBe(true);
    expect(rest.some((m) => findElement(m.blocks, ACTIONS.toggleChecks))).toBe(true);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  } finally {
    await t.stop();
  }
});
