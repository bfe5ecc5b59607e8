/**
 * A fake Socket Mode backend: a `ws` WebSocketServer on 127.0.0.1 that the fake Slack's
 * `apps.connections.open` points at.
 *
 *   const slack = await startFakeSlack();
 *   const socket = await startFakeSocketMode(slack);           // attaches itself to `slack`
 *   const app = new App({ token: 'xoxb-…', appToken: 'xapp-…', socketMode: true, botId, botUserId,
 *     clientOptions: { slackApiUrl: slack.url, retryConfig: { retries: 0 } },
 *     installerOptions: { clientOptions: { slackApiUrl: slack.url, retryConfig: { retries: 0 } } } });
 *   await app.start();                                          // resolves after our `hello`
 *   const ack = await socket.sendEnvelope('slash_commands', slashCommandFields({ ... }));
 *   await app.stop(); await socket.waitForDisconnect(); await slack.close();
 *
 * What @slack/socket-mode 3.1 reads (SocketModeClient.onWebSocketMessage): only `type` of `hello`
 * (then it is "connected") and `disconnect`; for other messages `envelope_id`, `type`, `payload`,
 * `accepts_response_payload`, and for events_api `retry_attempt` / `retry_reason`. `num_connections`,
 * `debug_info` and `connection_info` are sent for realism but the client ignores them. Its ack is
 * `{ envelope_id, payload }` (payload `{}` for a bare ack()).
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack, JsonObject } from './fakeSlack.ts';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketAck {
  envelope_id: string;
  payload: JsonObject;
}

export interface SentEnvelope {
  envelope_id: string;
  type: string;
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SendEnvelopeOptions {
  /** How long to wait for the app's ack; default 5000 ms. */
  timeoutMs?: number;
  /** events_api only: redelivery count (Slack's X-Slack-Retry-Num equivalent). */
  retryAttempt?: number;
  retryReason?: string;
  envelopeId?: string;
  /**
   * Which open connection gets it, counted in the order they opened (modulo their number), as Slack hands
   * each envelope to one of an app's connections; default the most recent.
   */
  connection?: number;
}

export interface FakeSocketModeOptions {
  appId?: string;
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class FakeSocketMode {
  url = '';
  /** Every message a client sent (acks), parsed. */
  readonly received: unknown[] = [];
  /** Every envelope sent to a client. */
  readonly sent: SentEnvelope[] = [];
  /** Connections opened so far (including closed ones). */
  connectionsOpened = 0;

  private wss: WebSocketServer | undefined;
  private sockets = new Set<WebSocket>();
  private pending = new Map<string, (ack: SocketAck) => void>();
  private connectWaiters: Array<() => void> = [];
  private disconnectWaiters: Array<() => void> = [];
  private readonly appId: string;

  constructor(options: FakeSocketModeOptions = {}) {
    this.appId = options.appId ?? 'A0FAKE001';
  }

  async listen(): Promise<this> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', () => resolve());
      wss.once('error', reject);
    });
    this.wss = wss;
    this.url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/`;
    wss.on('connection', (ws) => this.onConnection(ws));
    return this;
  }

  /** A fresh connection URL, like the one `apps.connections.open` hands out. */
  connectionUrl(): string {
    return `${this.url}?ticket=${randomUUID()}&app_id=${this.appId}`;
  }

  /** Number of open connections. */
  connectionCount(): number {
    return this.sockets.size;
  }

  waitForConnection(timeoutMs = 5000): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return this.waitOn(this.connectWaiters, timeoutMs, 'a socket-mode connection');
  }

  /** Resolves when no client is connected (after app.stop()). */
  waitForDisconnect(timeoutMs = 5000): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve();
    return this.waitOn(this.disconnectWaiters, timeoutMs, 'socket-mode clients to disconnect');
  }

  /**
   * Sends an envelope to one connection (`options.connection`, else the most recent) and resolves with the app's ack.
   * `payload` is what Slack would POST over HTTP: the slash-command fields object, the interaction
   * payload object, or the event_callback body.
   */
  async sendEnvelope(
    type: EnvelopeType,
    payload: unknown,
    options: SendEnvelopeOptions = {},
  ): Promise<SocketAck> {
    const timeoutMs = options.timeoutMs ?? 5000;
    await this.waitForConnection(timeoutMs);
    const open = [...this.sockets];
    const ws = options.connection === undefined ? open.pop() : open[options.connection % open.length];
    if (!ws) throw new Error('fakeSocketMode: no client connected');
    const envelope: SentEnvelope = {
      envelope_id: options.envelopeId ?? randomUUID(),
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
    };
    if (type === 'events_api') {
      envelope.retry_attempt = options.retryAttempt ?? 0;
      envelope.retry_reason = options.retryReason ?? '';
    }
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.envelope_id);
        reject(
          new Error(
            `fakeSocketMode: no ack for ${type} envelope ${envelope.envelope_id} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(envelope.envelope_id, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    this.sent.push(envelope);
    ws.send(JSON.stringify(envelope));
    return acked;
  }

  /** Sends Slack's `disconnect` message (the client reconnects through apps.connections.open). */
  sendDisconnect(reason: 'warning' | 'refresh_requested' | 'link_disabled' = 'refresh_requested'): void {
    const msg = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } });
    for (const ws of this.sockets) ws.send(msg);
  }

  /** Drops every connection without a close handshake. */
  dropConnections(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /**
   * Waits up to `graceMs` for clients to close, then terminates the rest and closes the server.
   * Rejects if a client was still connected: stop the Bolt app first, or its socket-mode client
   * reconnects ~5 s later, finds apps.connections.open gone, and surfaces as an unhandled rejection
   * blamed on whichever test is running then.
   */
  async close(graceMs = 1000): Promise<void> {
    const wss = this.wss;
    this.wss = undefined;
    if (!wss) return;
    let leftover = 0;
    if (this.sockets.size > 0) {
      await this.waitForDisconnect(graceMs).catch(() => undefined);
      leftover = this.sockets.size;
    }
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    if (leftover > 0) {
      throw new Error(
        `fakeSocketMode.close(): ${leftover} socket-mode client(s) still connected after ${graceMs} ms; ` +
          'await app.stop() before closing the fakes, or the client will try to reconnect',
      );
    }
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    this.connectionsOpened += 1;
    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(toText(data)) as unknown;
      } catch {
        msg = toText(data);
      }
      this.received.push(msg);
      if (isObj(msg) && typeof msg.envelope_id === 'string') {
        const done = this.pending.get(msg.envelope_id);
        if (done) {
          this.pending.delete(msg.envelope_id);
          done({ envelope_id: msg.envelope_id, payload: isObj(msg.payload) ? msg.payload : {} });
        }
      }
    });
    ws.on('close', () => {
      this.sockets.delete(ws);
      if (this.sockets.size === 0) this.flush(this.disconnectWaiters);
    });
    ws.on('error', () => undefined);
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.flush(this.connectWaiters);
  }

  private flush(list: Array<() => void>): void {
    const waiting = list.splice(0, list.length);
    for (const w of waiting) w();
  }

  private waitOn(list: Array<() => void>, timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = list.indexOf(done);
        if (i >= 0) list.splice(i, 1);
        reject(new Error(`fakeSocketMode: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      list.push(done);
    });
  }
}

/** Starts the WebSocket fake; when `slack` is given, its apps.connections.open points here and slack.close() closes it. */
export async function startFakeSocketMode(
  slack?: FakeSlack,
  options: FakeSocketModeOptions = {},
): Promise<FakeSocketMode> {
  const fake = await new FakeSocketMode({ appId: options.appId ?? slack?.bot.appId }).listen();
  slack?.attachSocketMode({ connectionUrl: () => fake.connectionUrl(), close: () => fake.close() });
  return fake;
}
