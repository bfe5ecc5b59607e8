/** A Bolt app that only acks, in its own process, for bench/ackProcesses.ts: prints its port. */
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { SECRET } from '../test/e2e/testBot.ts';
import { FAKE_BOT } from '../test/support/fakeSlack.ts';

const app = new App({
  token: 'xoxb-test-token',
  signingSecret: SECRET,
  botId: FAKE_BOT.botId,
  botUserId: FAKE_BOT.userId,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? 'http://127.0.0.1:9/' },
});
app.command('/incident', async ({ ack }) => ack());
app.action(/.*/, async ({ ack }) => ack());
const server = (await app.start(0)) as unknown as { address(): AddressInfo };
console.log(`port ${server.address().port}`);
