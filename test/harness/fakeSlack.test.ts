/**
 * Tests of the end-to-end harness itself: the fake Web API against a real @slack/web-api WebClient,
 * the signing helpers against Bolt's own verification, and the Socket Mode fake against Bolt.
 */
import type { Server } from 'node:http';
import { App, isValidSlackRequest, LogLevel } from '@slack/bolt';
import { ErrorCode, WebAPIHTTPError, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_BOT, type FakeSlack, startFakeSlack } from '../support/fakeSlack.ts';
import { startFakeSocketMode } from '../support/fakeSocketMode.ts';
import {
  appHomeOpenedEvent,
  baseUrlOf,
  blockActionsPayload,
  checkboxChange,
  event,
  forgedSlashCommand,
  inputValue,
  interaction,
  reactionAddedEvent,
  signedHeaders,
  slackSignature,
  slashCommand,
  slashCommandFields,
  staleSlashCommand,
  viewSubmissionPayload,
} from '../support/slackRequests.ts';

const SECRET = 'test-signing-secret';
const BOT_TOKEN = 'xoxb-test-token';

let slack: FakeSlack;
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  slack = await startFakeSlack({
    users: [
      { id: 'U0ALICE', name: 'alice' },
      { id: 'U0BOB', name: 'bob' },
    ],
    usergroups: { S0SRE: ['U0ALICE', 'U0BOB', 'U0CAROL'] },
    cantInvite: ['U0GUEST'],
  });
});

afterEach(async () => {
  // Clients (Bolt apps) first, then the fake: a socket-mode client outliving its server reconnects.
  while (cleanups.length > 0) await cleanups.pop()?.();
  await slack.close();
});

function client(retries = 0): WebClient {
  return new WebClient(BOT_TOKEN, {
    slackApiUrl: slack.url,
    retryConfig: { retries },
    logLevel: LogLevel.ERROR,
  });
}

async function platformError(p: Promise<unknown>): Promise<WebAPIPlatformError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error && (e as WebAPIPlatformError).code === ErrorCode.PlatformError)
      return e as WebAPIPlatformError;
    throw e;
  }
  throw new Error('expected a platform error');
}

describe('fake Web API against a real WebClient', () => {
  it('records chat.postMessage with parsed blocks, answers an increasing ts, and stores the message', async () => {
    const web = client();
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'P1: payments down' } },
      { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*Status:* investigating' } },
    ];
    const first = await web.chat.postMessage({ channel: 'C0ANNOUNCE', text: 'Incident declared', blocks });
    const second = await web.chat.postMessage({ channel: 'C0ANNOUNCE', text: 'second' });

    expect(first.ts).toBe('1732300000.000100');
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.channel).toBe('C0ANNOUNCE');
    expect(first.message?.blocks).toHaveLength(2);

    const [call] = slack.callsTo('chat.postMessage');
    expect(call?.token).toBe(BOT_TOKEN);
    expect(call?.args.blocks).toEqual(blocks);
    expect(call?.args.text).toBe('Incident declared');
    expect(call?.args).not.toHaveProperty('token');

    const stored = slack.message('C0ANNOUNCE', first.ts ?? '');
    expect(stored?.blocks[1]?.block_id).toBe('summary');
    // Slack names blocks the app left unnamed; the fake does too.
    expect(stored?.blocks[0]?.block_id).toMatch(/^[A-Za-z0-9]{5}$/);
    expect(slack.messages('C0ANNOUNCE').map((m) => m.text)).toEqual(['Incident declared', 'second']);
  });

  it('chat.update replaces the stored message and keeps the earlier version', async () => {
    const web = client();
    const { ts } = await web.chat.postMessage({ channel: 'C0INC', text: 'Status: investigating' });
    await web.chat.update({
      channel: 'C0INC',
      ts: ts ?? '',
      text: 'Status: identified',
      blocks: [{ type: 'divider' }],
    });

    const msg = slack.message('C0INC', ts ?? '');
    expect(msg?.text).toBe('Status: identified');
    expect(msg?.blocks.map((b) => b.type)).toEqual(['divider']);
    expect(msg?.edited?.user).toBe(FAKE_BOT.userId);
    expect(msg?.revisions.map((r) => r.text)).toEqual(['Status: investigating']);

    const missing = await platformError(web.chat.update({ channel: 'C0INC', ts: '1.000001', text: 'x' }));
    expect(missing.data.error).toBe('message_not_found');
  });

  it('failNext answers { ok: false, error } which WebClient throws as WebAPIPlatformError with data.error', async () => {
    const web = client();
    slack.failNext('conversations.create', 'restricted_action');
    const err = await platformError(web.conversations.create({ name: 'inc-20241122-1-db' }));
    expect(err).toBeInstanceOf(Error);
    expect(err.data.error).toBe('restricted_action');
    expect(slack.callsTo('conversations.create')).toHaveLength(1);
    // only once: the next call goes through
    const ok = await web.conversations.create({ name: 'inc-20241122-1-db' });
    expect(ok.channel?.name).toBe('inc-20241122-1-db');
  });

  it('conversations.create: channel ids count up, is_private is kept, a repeated name is name_taken, bad names are refused', async () => {
    const web = client();
    const a = await web.conversations.create({ name: 'inc-20241122-001-payments', is_private: true });
    const b = await web.conversations.create({ name: 'inc-20241122-002-search' });
    expect(a.channel?.id).toMatch(/^C\d+$/);
    expect(Number(b.channel?.id?.slice(1))).toBe(Number(a.channel?.id?.slice(1)) + 1);
    expect(a.channel?.is_private).toBe(true);
    expect(b.channel?.is_private).toBe(false);
    expect(slack.callsTo('conversations.create')[0]?.args.is_private).toBe('true'); // form-encoded, as Slack sees it

    const taken = await platformError(web.conversations.create({ name: 'inc-20241122-001-payments' }));
    expect(taken.data.error).toBe('name_taken');
    expect((await platformError(web.conversations.create({ name: 'Inc Payments' }))).data.error).toBe(
      'invalid_name_specials',
    );
    expect((await platformError(web.conversations.create({ name: 'x'.repeat(81) }))).data.error).toBe(
      'invalid_name_maxlength',
    );
    expect(slack.channels().map((c) => c.name)).toEqual([
      'inc-20241122-001-payments',
      'inc-20241122-002-search',
    ]);
  });

  it('conversations.invite keeps members: already_in_channel, cant_invite, user_not_found; force invites the rest', async () => {
    const web = client();
    const { channel } = await web.conversations.create({ name: 'inc-invites' });
    const id = channel?.id ?? '';
    const group = await web.usergroups.users.list({ usergroup: 'S0SRE' });
    expect(group.users).toEqual(['U0ALICE', 'U0BOB', 'U0CAROL']);

    await web.conversations.invite({ channel: id, users: 'U0ALICE' });
    const again = await platformError(web.conversations.invite({ channel: id, users: 'U0ALICE,U0BOB' }));
    expect(again.data.error).toBe('already_in_channel');
    expect(slack.members(id)).not.toContain('U0BOB'); // without force nobody is invited
    expect(
      (await platformError(web.conversations.invite({ channel: id, users: 'U0GUEST' }))).data.error,
    ).toBe('cant_invite');

    const forced = await web.conversations.invite({
      channel: id,
      users: 'U0ALICE,U0BOB,U0GUEST',
      force: true,
    });
    expect(forced.ok).toBe(true);
    expect(forced.errors?.map((e) => e.error)).toEqual(['already_in_channel', 'cant_invite']);
    expect(slack.members(id).sort()).toEqual(['U0ALICE', 'U0BOB', FAKE_BOT.userId].sort());
    const members = await web.conversations.members({ channel: id });
    expect(members.members).toHaveLength(3);
  });

  it('pins, permalinks, reactions and views work on stored state', async () => {
    const web = client();
    const { ts } = await web.chat.postMessage({ channel: 'C0INC', text: 'header' });
    await web.pins.add({ channel: 'C0INC', timestamp: ts ?? '' });
    expect(slack.pinned('C0INC').map((m) => m.ts)).toEqual([ts]);
    expect((await platformError(web.pins.add({ channel: 'C0INC', timestamp: ts ?? '' }))).data.error).toBe(
      'already_pinned',
    );
    const link = await web.chat.getPermalink({ channel: 'C0INC', message_ts: ts ?? '' });
    expect(link.permalink).toBe(`https://acme.slack.com/archives/C0INC/p${(ts ?? '').replace('.', '')}`);

    const human = slack.postAsUser('C0INC', 'U0ALICE', 'db failover started');
    slack.addReaction('C0INC', human.ts, 'pushpin', 'U0BOB');
    const r = await web.reactions.get({ channel: 'C0INC', timestamp: human.ts });
    expect(r.message?.text).toBe('db failover started');
    expect(r.message?.reactions?.[0]).toMatchObject({ name: 'pushpin', users: ['U0BOB'], count: 1 });

    const opened = await web.views.open({
      trigger_id: slack.triggerId(),
      view: {
        type: 'modal',
        callback_id: 'declare',
        title: { type: 'plain_text', text: 'Declare incident' },
        blocks: [],
      },
    });
    const viewId = opened.view?.id ?? '';
    await web.views.update({
      view_id: viewId,
      view: {
        type: 'modal',
        callback_id: 'declare',
        title: { type: 'plain_text', text: 'Step 2' },
        blocks: [],
      },
    });
    expect(slack.view(viewId)?.revisions).toBe(1);
    await web.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [{ type: 'divider' }] } });
    expect(slack.homeView('U0ALICE')?.blocks).toHaveLength(1);
    expect(slack.methods()).toEqual([
      'chat.postMessage',
      'pins.add',
      'pins.add',
      'chat.getPermalink',
      'reactions.get',
      'views.open',
      'views.update',
      'views.publish',
    ]);
  });

  it('enforces Block Kit limits with invalid_blocks', async () => {
    const web = client();
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const e1 = await platformError(web.chat.postMessage({ channel: 'C0INC', text: 'x', blocks: tooMany }));
    expect(e1.data.error).toBe('invalid_blocks');

    const options = Array.from({ length: 11 }, (_, i) => ({
      text: { type: 'plain_text' as const, text: `check ${i}` },
      value: `c${i}`,
    }));
    const e2 = await platformError(
      web.chat.postMessage({
        channel: 'C0INC',
        text: 'x',
        blocks: [{ type: 'actions', elements: [{ type: 'checkboxes', action_id: 'checks', options }] }],
      }),
    );
    expect(e2.data.response_metadata?.messages?.join(' ')).toContain('no more than 10 items');

    const e3 = await platformError(
      web.chat.postMessage({
        channel: 'C0INC',
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }],
      }),
    );
    expect(e3.data.error).toBe('invalid_blocks');
    expect(slack.messages('C0INC')).toHaveLength(0);
  });

  it('on() scripts answers per call index, falls through on undefined, and can send a raw HTTP answer', async () => {
    const web = client();
    slack.on('conversations.create', (args, i, ctx) => {
      if (i === 0) return { ok: false, error: 'name_taken' };
      if (i === 1) return undefined; // built-in behaviour
      return { ...ctx.defaultResponse(), extra: String(args.name) };
    });
    expect((await platformError(web.conversations.create({ name: 'inc-a' }))).data.error).toBe('name_taken');
    expect((await web.conversations.create({ name: 'inc-a' })).channel?.name).toBe('inc-a');
    await web.conversations.create({ name: 'inc-b' });
    expect(slack.callsTo('conversations.create')[2]?.response).toMatchObject({ ok: true, extra: 'inc-b' });

    slack.on('users.info', () => ({ status: 503, body: 'maintenance' }));
    await expect(web.users.info({ user: 'U0ALICE' })).rejects.toBeInstanceOf(WebAPIHTTPError);
  });

  it('serverErrorNext gives WebAPIHTTPError; delayNext slows exactly one answer; waitFor resolves when the call is answered', async () => {
    const web = client();
    slack.serverErrorNext('chat.postMessage', 502);
    const err = await web.chat.postMessage({ channel: 'C0INC', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIHTTPError);
    expect((err as WebAPIHTTPError).statusCode).toBe(502);

    slack.delayNext('chat.postMessage', 300);
    const waiting = slack.waitForNext('chat.postMessage', (args) => args.text === 'slow');
    const started = Date.now();
    await web.chat.postMessage({ channel: 'C0INC', text: 'slow' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const call = await waiting;
    expect(call.status).toBe(200);
    expect(slack.message('C0INC', (call.response as { ts: string }).ts)?.text).toBe('slow');
    await expect(slack.waitFor('chat.delete', undefined, 50)).rejects.toThrow(/timed out/);
  });

  it('files.uploadV2 goes through getUploadURLExternal, the upload URL and completeUploadExternal', async () => {
    const web = client();
    await web.filesUploadV2({
      channel_id: 'C0INC',
      filename: 'timeline.md',
      content: '# Timeline\n',
      title: 'Timeline',
    });
    expect(slack.methods()).toEqual([
      'files.getUploadURLExternal',
      'upload_url',
      'files.completeUploadExternal',
    ]);
    expect(slack.files()[0]).toMatchObject({
      filename: 'timeline.md',
      completed: true,
      channels: ['C0INC'],
      uploadedBytes: 11,
    });
  });

  it('a 429 with Retry-After: 1 is waited out and retried by a WebClient with retries', async () => {
    const web = client(1);
    slack.rateLimitNext('chat.postMessage', 1);
    const res = await web.chat.postMessage({ channel: 'C0INC', text: 'after the limit' });
    expect(res.ok).toBe(true);
    const [limited, retried] = slack.callsTo('chat.postMessage');
    expect(limited?.status).toBe(429);
    expect(retried?.status).toBe(200);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });
});

describe('signed requests against a real Bolt app (HTTP mode)', () => {
  async function startHttpApp(): Promise<{ app: App; base: string; seen: string[] }> {
    const seen: string[] = [];
    const app = new App({
      signingSecret: SECRET,
      token: BOT_TOKEN,
      botId: FAKE_BOT.botId,
      botUserId: FAKE_BOT.userId,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.url, retryConfig: { retries: 0 } },
    });
    app.command('/incident', async ({ ack, command, client: web, respond }) => {
      await ack();
      seen.push(`command:${command.text}`);
      await web.chat.postMessage({ channel: command.channel_id, text: `received: ${command.text}` });
      if (command.text === 'respond')
        await respond({ text: 'only you can see this', response_type: 'ephemeral' });
    });
    app.action('checks', async ({ ack, body }) => {
      await ack();
      const action = body.type === 'block_actions' ? body.actions[0] : undefined;
      const selected = action?.type === 'checkboxes' ? action.selected_options.map((o) => o.value) : [];
      seen.push(`checks:${selected.join(',')}`);
    });
    app.view('declare', async ({ ack, view }) => {
      await ack();
      seen.push(`view:${view.state.values.title?.title_input?.value ?? ''}`);
    });
    app.event('reaction_added', async ({ event: ev }) => {
      seen.push(`reaction:${ev.reaction}`);
    });
    app.event('app_home_opened', async ({ event: ev }) => {
      seen.push(`home:${ev.user}`);
    });
    const server = (await app.start({ port: 0 })) as Server;
    cleanups.push(() => app.stop());
    return { app, base: baseUrlOf(server), seen };
  }

  it('a correctly signed slash command reaches the handler; forged and stale ones get 401 and change nothing', async () => {
    const { base, seen } = await startHttpApp();
    const cmd = { text: 'declare P1 payments down', user_id: 'U0ALICE', channel_id: 'C0GENERAL' };

    const res = await slashCommand(base, SECRET, cmd);
    expect(res.status).toBe(200);
    expect(seen).toEqual(['command:declare P1 payments down']);
    expect(slack.callsTo('chat.postMessage')[0]?.args).toMatchObject({
      channel: 'C0GENERAL',
      text: 'received: declare P1 payments down',
    });

    slack.reset();
    const forged = await forgedSlashCommand(base, SECRET, cmd);
    const stale = await staleSlashCommand(base, SECRET, cmd);
    const unsigned = await slashCommand(base, SECRET, cmd, { tamper: 'unsigned' });
    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    expect(seen).toHaveLength(1);
    expect(slack.calls).toHaveLength(0);
  });

  it("signedHeaders pass Bolt's own verifySlackRequest; respond() lands on the fake response_url", async () => {
    const body = 'token=x&text=hello%20world';
    const headers = signedHeaders(SECRET, body, 'application/x-www-form-urlencoded');
    const check = (secret: string, h: Record<string, string>): boolean =>
      isValidSlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': h['X-Slack-Signature'] ?? '',
          'x-slack-request-timestamp': Number(h['X-Slack-Request-Timestamp']),
        },
      });
    expect(check(SECRET, headers)).toBe(true);
    expect(check('another-secret', headers)).toBe(false);
    expect(
      check(SECRET, signedHeaders(SECRET, body, 'application/x-www-form-urlencoded', { tamper: 'stale' })),
    ).toBe(false);
    expect(slackSignature(SECRET, 1531420618, body)).toMatch(/^v0=[0-9a-f]{64}$/);

    const { base } = await startHttpApp();
    const res = await slashCommand(base, SECRET, {
      text: 'respond',
      user_id: 'U0ALICE',
      channel_id: 'C0GENERAL',
      response_url: slack.responseUrl(),
    });
    expect(res.status).toBe(200);
    expect(slack.responses[0]?.body).toEqual({ text: 'only you can see this', response_type: 'ephemeral' });
  });

  it('block_actions built from the message the user saw, a view_submission and events are accepted by Bolt', async () => {
    const { base, seen } = await startHttpApp();
    const web = client();
    const posted = await web.chat.postMessage({
      channel: 'C0INC',
      text: 'Step 1 of 3',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'checkboxes',
              action_id: 'checks',
              options: [
                { text: { type: 'mrkdwn', text: 'replica lag < 5s' }, value: 'c1' },
                { text: { type: 'mrkdwn', text: 'error rate normal' }, value: 'c2' },
              ],
              initial_options: [{ text: { type: 'mrkdwn', text: 'replica lag < 5s' }, value: 'c1' }],
            },
          ],
        },
      ],
    });
    const seenMessage = slack.message('C0INC', posted.ts ?? '');
    if (!seenMessage) throw new Error('message not stored');
    const payload = blockActionsPayload({
      user: 'U0BOB',
      channel: 'C0INC',
      message: seenMessage,
      actions: [checkboxChange(seenMessage, 'checks', { check: ['c2'] })],
    });
    expect((await interaction(base, SECRET, payload)).status).toBe(200);

    const submission = viewSubmissionPayload({
      user: 'U0ALICE',
      view: {
        callback_id: 'declare',
        state: { values: { title: { title_input: inputValue.plainText('db down') } } },
      },
    });
    expect((await interaction(base, SECRET, submission)).status).toBe(200);

    expect(
      (
        await event(
          base,
          SECRET,
          reactionAddedEvent({ user: 'U0BOB', reaction: 'pushpin', channel: 'C0INC', ts: posted.ts ?? '' }),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await event(base, SECRET, appHomeOpenedEvent({ user: 'U0ALICE' }), {
          retryNum: 1,
          retryReason: 'http_timeout',
        })
      ).status,
    ).toBe(200);

    expect(seen).toEqual(['checks:c1,c2', 'view:db down', 'reaction:pushpin', 'home:U0ALICE']);
  });
});

describe('Socket Mode', () => {
  it('a Bolt app in socket mode connects through apps.connections.open and acks a slash_commands envelope', async () => {
    const socket = await startFakeSocketMode(slack);
    const clientOptions = { slackApiUrl: slack.url, retryConfig: { retries: 0 } };
    const app = new App({
      token: BOT_TOKEN,
      appToken: 'xapp-1-A0FAKE001-1-secret',
      socketMode: true,
      botId: FAKE_BOT.botId,
      botUserId: FAKE_BOT.userId,
      logLevel: LogLevel.ERROR,
      clientOptions,
      installerOptions: { clientOptions: { ...clientOptions } },
    });
    app.command('/incident', async ({ ack, command, client: web }) => {
      await ack();
      await web.chat.postMessage({ channel: command.channel_id, text: `socket: ${command.text}` });
    });
    await app.start();
    cleanups.push(async () => {
      await app.stop();
      await socket.waitForDisconnect(2000);
    });

    const open = slack.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe('xapp-1-A0FAKE001-1-secret');
    expect(socket.connectionCount()).toBe(1);

    const ack = await socket.sendEnvelope(
      'slash_commands',
      slashCommandFields({ text: 'declare P2 queue backlog', user_id: 'U0ALICE', channel_id: 'C0GENERAL' }),
    );
    expect(ack.envelope_id).toBe(socket.sent[0]?.envelope_id);
    expect(ack.payload).toEqual({});
    const posted = await slack.waitFor('chat.postMessage');
    expect(posted.args.text).toBe('socket: declare P2 queue backlog');
    expect(posted.token).toBe(BOT_TOKEN);
  });
});
