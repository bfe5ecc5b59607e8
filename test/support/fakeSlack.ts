/**
 * A fake Slack Web API for end-to-end tests: a node:http server on 127.0.0.1 that records every call
 * and answers like Slack, keeping enough state (channels, members, messages, pins, views, files) for a
 * whole incident flow.
 *
 *   const slack = await startFakeSlack({ usergroups: { S0SRE: ['U0A', 'U0B'] } });
 *   new App({ ..., clientOptions: { slackApiUrl: slack.url, retryConfig: { retries: 0 } } });
 *   ...
 *   await app.stop(); await slack.close();   // clients first, then the fake
 *
 * Conventions:
 * - `calls[i].args` is the request body parsed (form-encoded or JSON); JSON-valued form fields such as
 *   `blocks`, `attachments`, `view`, `files` are parsed; other scalars stay the strings Slack receives
 *   (`is_private: 'true'`, `users: 'U1,U2'`). The token is moved out of `args` into `calls[i].token`.
 * - Order of handling: delayNext -> queued faults (failNext / rateLimitNext / serverErrorNext) ->
 *   missing token (`not_authed`) -> custom `on()` handler -> built-in behaviour. A handler that returns
 *   `undefined` falls through to the built-in behaviour; `ctx.defaultResponse()` runs it on demand.
 * - `'*'` as a method name in on/failNext/rateLimitNext/delayNext/serverErrorNext matches every method.
 * - Block Kit limits are enforced (`invalid_blocks`), see blockLimits.ts; `validateBlocks: false` turns that off.
 * - Unknown channel ids are created on first use unless `strictChannels: true` (then `channel_not_found`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS, validateBlocks, validateView } from './blockLimits.ts';

export type JsonObject = Record<string, unknown>;

/** A block as stored by the fake; Slack fills in `block_id` (and `action_id`s) when the app left them out. */
export interface SlackBlock {
  type: string;
  block_id?: string;
  [key: string]: unknown;
}

export interface RecordedCall {
  /** Position in `calls`. */
  index: number;
  method: string;
  args: JsonObject;
  token: string | undefined;
  /** Date.now() when the request arrived. */
  at: number;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  /** HTTP status answered; set once answered. */
  status?: number;
  /** Body answered (parsed object, or text); set once answered. */
  response?: unknown;
  answeredAt?: number;
}

/** A response with full control over the HTTP answer. `body`: object -> JSON, string -> as is. */
export interface RawResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type HandlerResult = JsonObject | RawResponse | undefined;

export interface HandlerContext {
  call: RecordedCall;
  fake: FakeSlack;
  /** Runs the built-in behaviour (mutating state) and returns its answer. */
  defaultResponse(): JsonObject;
}

export type MethodHandler = (
  args: JsonObject,
  /** 0-based index of this call among the calls to the same method since the last reset. */
  callIndex: number,
  ctx: HandlerContext,
) => HandlerResult | Promise<HandlerResult>;

export type CallPredicate = (args: JsonObject, call: RecordedCall) => boolean;

export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  tz: string;
  tz_offset: number;
  is_bot: boolean;
  deleted: boolean;
  email?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  is_im: boolean;
  created: number;
  creator: string;
  members: Set<string>;
  topic: string;
  purpose: string;
}

export interface Reaction {
  name: string;
  users: string[];
  count: number;
}

export interface StoredMessage {
  type: 'message';
  subtype?: string;
  channel: string;
  ts: string;
  text: string;
  blocks: SlackBlock[];
  attachments?: unknown[];
  metadata?: unknown;
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  thread_ts?: string;
  reply_count?: number;
  edited?: { user: string; ts: string };
  pinned: boolean;
  reactions: Reaction[];
  /** Earlier versions, oldest first (each chat.update pushes the version it replaced). */
  revisions: Array<{ text: string; blocks: SlackBlock[] }>;
}

export interface StoredEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks: SlackBlock[];
  thread_ts?: string;
}

export interface StoredView {
  id: string;
  type: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: SlackBlock[];
  state: { values: JsonObject };
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  team_id: string;
  app_id: string;
  bot_id: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  /** user the view was published for (views.publish). */
  user_id?: string;
  trigger_id?: string;
  revisions: number;
}

export interface StoredFile {
  id: string;
  filename: string;
  length: number;
  title?: string;
  uploadedBytes?: number;
  /** The upload request's body as text (multipart framing included), for asserting what was sent. */
  uploadedBody?: string;
  completed: boolean;
  channels: string[];
  initial_comment?: string;
}

export interface ResponseUrlPost {
  id: string;
  url: string;
  body: JsonObject;
  at: number;
}

/** What fakeSocketMode registers so that `apps.connections.open` can point at it. */
export interface SocketModeEndpoint {
  connectionUrl(): string;
  close?(): Promise<void>;
}

export interface ChannelSpec {
  id?: string;
  name: string;
  is_private?: boolean;
  is_archived?: boolean;
  members?: string[];
  creator?: string;
}

export interface FakeSlackOptions {
  team?: { id: string; domain: string; name: string };
  bot?: { userId: string; botId: string; appId: string; name?: string };
  users?: Array<Partial<FakeUser> & { id: string }>;
  channels?: ChannelSpec[];
  /** usergroup id -> user ids (usergroups.users.list). */
  usergroups?: Record<string, string[]>;
  /** Users that get `cant_invite` from conversations.invite. */
  cantInvite?: Iterable<string>;
  /** Users that do not exist: users.info and conversations.invite answer `user_not_found`. */
  unknownUsers?: Iterable<string>;
  /** conversations.invite rejects more users than this with `too_many_users` (Slack: 1000). */
  maxInviteUsers?: number;
  /** Enforce Block Kit limits (`invalid_blocks`); default true. */
  validateBlocks?: boolean;
  /** Unknown channel ids answer `channel_not_found` instead of being created on first use; default false. */
  strictChannels?: boolean;
  /** Tokens accepted; others get `invalid_auth`. Default: any non-empty token. */
  validTokens?: string[];
  /** Seconds part of the first message ts; default 1732300000 (first ts 1732300000.000100). */
  tsStart?: number;
}

interface Fault {
  kind: 'error' | 'ratelimit' | 'server';
  error?: string;
  retryAfter?: number;
  status?: number;
}

interface Waiter {
  method: string;
  predicate: CallPredicate | undefined;
  resolve(call: RecordedCall): void;
}

const TEXT_FIELDS = new Set([
  'text',
  'name',
  'title',
  'topic',
  'purpose',
  'initial_comment',
  'alt_text',
  'filename',
  'reason',
  'description',
  'markdown_text',
  'query',
  'users',
  'usergroup',
]);

/** Ids the fake uses unless told otherwise (slackRequests' payloads use the same). */
export const FAKE_TEAM = { id: 'T0FAKE001', domain: 'acme', name: 'Acme Corp' } as const;
export const FAKE_BOT = {
  userId: 'UBOT00001',
  botId: 'BBOT00001',
  appId: 'A0FAKE001',
  name: 'incident-bot',
} as const;
const UNRECOVERABLE_HINT = 'no socket-mode fake attached: call startFakeSocketMode(slack) first';

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRawResponse(v: unknown): v is RawResponse {
  return isObj(v) && typeof v.status === 'number' && !('ok' in v);
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function parseMaybeJson(key: string, value: string): unknown {
  const t = value.trim();
  if (TEXT_FIELDS.has(key) || !(t.startsWith('{') || t.startsWith('['))) return value;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return value;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

async function parseBody(raw: Buffer, contentType: string): Promise<JsonObject> {
  if (raw.length === 0) return {};
  const ct = contentType.toLowerCase();
  if (ct.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return isObj(parsed) ? parsed : { _body: parsed };
  }
  if (ct.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    const out: JsonObject = {};
    for (const [key, value] of form.entries()) {
      out[key] =
        typeof value === 'string' ? parseMaybeJson(key, value) : { filename: value.name, size: value.size };
    }
    return out;
  }
  const out: JsonObject = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) out[key] = parseMaybeJson(key, value);
  return out;
}

/** Deterministic Slack-looking ids for blocks/actions the app left unnamed. */
function makeIdGen(): () => string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let n = 0;
  return () => {
    n += 1;
    let x = Math.imul(n, 2654435761) >>> 0;
    let s = '';
    for (let i = 0; i < 5; i++) {
      s += alphabet[x % alphabet.length] ?? 'x';
      x = Math.floor(x / alphabet.length) + i * 7919;
    }
    return s;
  };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export class FakeSlack {
  /** Base of the Web API, e.g. http://127.0.0.1:PORT/api/ — Bolt's clientOptions.slackApiUrl / SLACK_API_URL. */
  url = '';
  /** http://127.0.0.1:PORT */
  origin = '';
  readonly calls: RecordedCall[] = [];
  /** Posts to response_url endpoints made by responseUrl(). */
  readonly responses: ResponseUrlPost[] = [];
  readonly team: { id: string; domain: string; name: string };
  readonly bot: { userId: string; botId: string; appId: string; name: string };
  /** Users that get `cant_invite`; mutable. */
  readonly cantInvite = new Set<string>();
  /** Users that get `user_not_found`; mutable. */
  readonly unknownUsers = new Set<string>();
  readonly options: FakeSlackOptions;

  private server: Server | undefined;
  private handlers = new Map<string, MethodHandler>();
  private faults = new Map<string, Fault[]>();
  private delays = new Map<string, number[]>();
  private waiters: Waiter[] = [];
  private socketMode: SocketModeEndpoint | undefined;

  private users = new Map<string, FakeUser>();
  private channelsById = new Map<string, FakeChannel>();
  private usergroupMap = new Map<string, string[]>();
  private messageStore = new Map<string, StoredMessage[]>();
  private ephemeralStore: StoredEphemeral[] = [];
  private viewStore = new Map<string, StoredView>();
  private homeViews = new Map<string, StoredView>();
  private fileStore = new Map<string, StoredFile>();
  private counters = { channel: 0, ts: 0, view: 0, file: 0, hash: 0, response: 0, trigger: 0 };
  private nextBlockId = makeIdGen();

  constructor(options: FakeSlackOptions = {}) {
    this.options = options;
    this.team = options.team ?? { ...FAKE_TEAM };
    this.bot = { ...FAKE_BOT, ...options.bot };
    this.seed();
  }

  // ---------------------------------------------------------------- lifecycle

  async listen(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fake slack crashed: ${err instanceof Error ? err.stack : String(err)}`);
        }
      });
    });
    // Slack's API keeps idle connections open far longer than a bot's pauses between calls; a 1 s keep-alive
    // (below undici's 2 s safety margin) made every call open a new connection, a cost the real Slack does
    // not impose. close() drops all connections, so a test run never waits on idle sockets.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.server = server;
    this.origin = `http://127.0.0.1:${port}`;
    this.url = `${this.origin}/api/`;
    return this;
  }

  /** Closes the attached socket-mode fake and the HTTP server. Stop Bolt apps / clients first. */
  async close(): Promise<void> {
    const socketMode = this.socketMode;
    this.socketMode = undefined;
    let socketError: unknown;
    if (socketMode?.close) {
      await socketMode.close().catch((e: unknown) => {
        socketError = e;
      });
    }
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    if (socketError !== undefined) throw socketError;
  }

  /** Clears calls, queued faults, handlers and waiters, and restores the seeded state. */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.handlers.clear();
    this.faults.clear();
    this.delays.clear();
    this.waiters = [];
    this.seed();
  }

  attachSocketMode(endpoint: SocketModeEndpoint): void {
    this.socketMode = endpoint;
  }

  // ---------------------------------------------------------------- scripting

  /** Custom responder for a method ('*' for all). Returns a function that removes it. */
  on(method: string, handler: MethodHandler): () => void {
    this.handlers.set(method, handler);
    return () => {
      if (this.handlers.get(method) === handler) this.handlers.delete(method);
    };
  }

  off(method: string): void {
    this.handlers.delete(method);
  }

  /** The next `times` calls answer HTTP 200 `{ ok: false, error }`. */
  failNext(method: string, error: string, times = 1): void {
    this.queueFault(method, { kind: 'error', error }, times);
  }

  /** The next `times` calls answer HTTP 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(method: string, retryAfterSeconds: number, times = 1): void {
    this.queueFault(method, { kind: 'ratelimit', retryAfter: retryAfterSeconds }, times);
  }

  /** The next `times` calls answer HTTP `status` (5xx) with a non-JSON body. */
  serverErrorNext(method: string, status = 500, times = 1): void {
    this.queueFault(method, { kind: 'server', status }, times);
  }

  /**
   * Slack is down: until `until` (a Date.now() value), every request (Web API, response_url, upload) is
   * recorded and answered HTTP 500 without touching state. `outage(0)` ends it.
   */
  outage(durationMs: number): void {
    this.downUntil = durationMs > 0 ? Date.now() + durationMs : 0;
  }

  /** Whether an outage is in progress. */
  get down(): boolean {
    return Date.now() < this.downUntil;
  }

  private downUntil = 0;

  /** The next `times` calls are answered after `ms` milliseconds (then normally, or with a queued fault). */
  delayNext(method: string, ms: number, times = 1): void {
    const q = this.delays.get(method) ?? [];
    for (let i = 0; i < times; i++) q.push(ms);
    this.delays.set(method, q);
  }

  // ---------------------------------------------------------------- inspection

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Methods called, in order. */
  methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  /**
   * Resolves with the first matching call, looking at calls already answered first, then waiting.
   * Resolves once the call has been answered (state updated). Rejects after timeoutMs.
   */
  waitFor(method: string, predicate?: CallPredicate, timeoutMs = 3000): Promise<RecordedCall> {
    const existing = this.calls.find((c) => c.status !== undefined && this.matches(c, method, predicate));
    if (existing) return Promise.resolve(existing);
    return this.waitForNext(method, predicate, timeoutMs);
  }

  /** Like waitFor, but only calls answered after this call counts. */
  waitForNext(method: string, predicate?: CallPredicate, timeoutMs = 3000): Promise<RecordedCall> {
    return new Promise<RecordedCall>((resolve, reject) => {
      const waiter: Waiter = {
        method,
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `fakeSlack.waitFor('${method}') timed out after ${timeoutMs} ms; calls so far: ${this.methods().join(', ') || '(none)'}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Messages of a channel in post order, each at its latest version (thread replies included). */
  messages(channel: string): StoredMessage[] {
    return this.messageStore.get(this.resolveChannelId(channel) ?? channel) ?? [];
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages(channel).find((m) => m.ts === ts);
  }

  lastMessage(channel: string): StoredMessage | undefined {
    const list = this.messages(channel);
    return list[list.length - 1];
  }

  /** Every stored message of every channel, in ts order. */
  allMessages(): StoredMessage[] {
    return [...this.messageStore.values()].flat().sort((a, b) => Number(a.ts) - Number(b.ts));
  }

  ephemerals(channel?: string): StoredEphemeral[] {
    const id = channel === undefined ? undefined : (this.resolveChannelId(channel) ?? channel);
    return this.ephemeralStore.filter((e) => id === undefined || e.channel === id);
  }

  channel(idOrName: string): FakeChannel | undefined {
    const id = this.resolveChannelId(idOrName);
    return id === undefined ? undefined : this.channelsById.get(id);
  }

  channels(): FakeChannel[] {
    return [...this.channelsById.values()];
  }

  members(channel: string): string[] {
    return [...(this.channel(channel)?.members ?? [])];
  }

  pinned(channel: string): StoredMessage[] {
    return this.messages(channel).filter((m) => m.pinned);
  }

  view(id: string): StoredView | undefined {
    return this.viewStore.get(id);
  }

  views(): StoredView[] {
    return [...this.viewStore.values()];
  }

  homeView(userId: string): StoredView | undefined {
    return this.homeViews.get(userId);
  }

  files(): StoredFile[] {
    return [...this.fileStore.values()];
  }

  user(id: string): FakeUser | undefined {
    return this.lookupUser(id);
  }

  // ---------------------------------------------------------------- seeding

  addChannel(spec: ChannelSpec): FakeChannel {
    const id = spec.id ?? this.newChannelId();
    const ch: FakeChannel = {
      id,
      name: spec.name,
      is_private: spec.is_private ?? false,
      is_archived: spec.is_archived ?? false,
      is_im: id.startsWith('D'),
      created: 1732200000 + this.channelsById.size,
      creator: spec.creator ?? this.bot.userId,
      members: new Set(spec.members ?? [this.bot.userId]),
      topic: '',
      purpose: '',
    };
    this.channelsById.set(id, ch);
    return ch;
  }

  addUser(user: Partial<FakeUser> & { id: string }): FakeUser {
    const u: FakeUser = {
      name: user.id.toLowerCase(),
      real_name: `User ${user.id}`,
      tz: 'Europe/London',
      tz_offset: 0,
      is_bot: false,
      deleted: false,
      ...user,
    };
    this.users.set(u.id, u);
    return u;
  }

  setUsergroup(id: string, users: string[]): void {
    this.usergroupMap.set(id, [...users]);
  }

  /** Stores a message as if a person posted it (for reactions, pins, history). Returns it. */
  postAsUser(
    channel: string,
    user: string,
    text: string,
    opts: { blocks?: SlackBlock[]; thread_ts?: string } = {},
  ): StoredMessage {
    const ch = this.ensureChannel(channel);
    if (!ch) throw new Error(`fakeSlack.postAsUser: unknown channel ${channel}`);
    const msg: StoredMessage = {
      type: 'message',
      channel: ch.id,
      ts: this.nextTs(),
      text,
      blocks: opts.blocks ?? [],
      user,
      team: this.team.id,
      pinned: false,
      reactions: [],
      revisions: [],
      ...(opts.thread_ts ? { thread_ts: opts.thread_ts } : {}),
    };
    this.pushMessage(msg);
    return msg;
  }

  addReaction(channel: string, ts: string, name: string, user: string): void {
    const msg = this.message(channel, ts);
    if (!msg) throw new Error(`fakeSlack.addReaction: no message ${channel}/${ts}`);
    this.react(msg, name, user);
  }

  /** A fresh response_url on this fake; posts to it are recorded in `responses` and as calls to 'response_url'. */
  responseUrl(): string {
    this.counters.response += 1;
    return `${this.origin}/response/${pad(this.counters.response, 6)}`;
  }

  /** A fresh Slack-looking trigger_id. */
  triggerId(): string {
    this.counters.trigger += 1;
    return `${1732300000 + this.counters.trigger}.${pad(this.counters.trigger, 6)}.${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  }

  permalink(channel: string, ts: string): string {
    return `https://${this.team.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  }

  // ---------------------------------------------------------------- internals

  private seed(): void {
    const o = this.options;
    this.users.clear();
    this.channelsById.clear();
    this.usergroupMap.clear();
    this.messageStore.clear();
    this.ephemeralStore = [];
    this.viewStore.clear();
    this.homeViews.clear();
    this.fileStore.clear();
    this.counters = { channel: 0, ts: 0, view: 0, file: 0, hash: 0, response: 0, trigger: 0 };
    this.nextBlockId = makeIdGen();
    this.cantInvite.clear();
    for (const u of o.cantInvite ?? []) this.cantInvite.add(u);
    this.unknownUsers.clear();
    for (const u of o.unknownUsers ?? []) this.unknownUsers.add(u);
    this.addUser({ id: this.bot.userId, name: this.bot.name, real_name: this.bot.name, is_bot: true });
    for (const u of o.users ?? []) this.addUser(u);
    for (const c of o.channels ?? []) this.addChannel(c);
    for (const [g, us] of Object.entries(o.usergroups ?? {})) this.setUsergroup(g, us);
  }

  private queueFault(method: string, fault: Fault, times: number): void {
    const q = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) q.push(fault);
    this.faults.set(method, q);
  }

  private takeQueued<T>(map: Map<string, T[]>, method: string): T | undefined {
    const own = map.get(method);
    if (own && own.length > 0) return own.shift();
    const any = map.get('*');
    if (any && any.length > 0) return any.shift();
    return undefined;
  }

  private matches(call: RecordedCall, method: string, predicate: CallPredicate | undefined): boolean {
    return (
      (method === '*' || call.method === method) && (predicate === undefined || predicate(call.args, call))
    );
  }

  private notify(call: RecordedCall): void {
    const remaining: Waiter[] = [];
    for (const w of this.waiters) {
      let hit = false;
      try {
        hit = this.matches(call, w.method, w.predicate);
      } catch {
        hit = false;
      }
      if (hit) w.resolve(call);
      else remaining.push(w);
    }
    this.waiters = remaining;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const path = new URL(req.url ?? '/', this.origin || 'http://127.0.0.1').pathname;
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    let args: JsonObject;
    try {
      args = await parseBody(raw, contentType);
    } catch {
      args = { _raw: raw.toString('utf8') };
    }

    if (this.down) {
      const kind = path.startsWith('/response/')
        ? 'response_url'
        : path.startsWith('/upload/')
          ? 'upload_url'
          : path.slice('/api/'.length);
      const call = this.record(kind, args, undefined, at, contentType, req);
      this.answer(res, call, {
        status: 500,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>Slack is down (fake outage)</body></html>',
      });
      return;
    }
    if (path.startsWith('/response/')) {
      const call = this.record('response_url', args, undefined, at, contentType, req);
      this.responses.push({
        id: path.slice('/response/'.length),
        url: `${this.origin}${path}`,
        body: args,
        at,
      });
      this.answer(res, call, { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
      return;
    }
    if (path.startsWith('/upload/')) {
      const fileId = path.split('/').pop() ?? '';
      // WebClient.filesUploadV2 sends the file as a multipart part; curl-style uploads send raw bytes.
      const parts = Object.values(args).filter(
        (v): v is { size: number } => isObj(v) && typeof v.size === 'number',
      );
      const bytes = contentType.startsWith('multipart/') ? parts.reduce((n, p) => n + p.size, 0) : raw.length;
      const call = this.record('upload_url', { file_id: fileId, bytes }, undefined, at, contentType, req);
      const f = this.fileStore.get(fileId);
      if (f) {
        f.uploadedBytes = bytes;
        f.uploadedBody = raw.toString('utf8');
      }
      this.answer(
        res,
        call,
        f
          ? { status: 200, headers: { 'content-type': 'text/plain' }, body: `OK - ${bytes}` }
          : { status: 404, body: 'not found' },
      );
      return;
    }
    if (!path.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('fake slack: unknown path');
      return;
    }

    const method = path.slice('/api/'.length);
    const auth = req.headers.authorization;
    let token: string | undefined = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
    if (typeof args.token === 'string') {
      token ??= args.token;
      delete args.token;
    }
    const call = this.record(method, args, token, at, contentType, req);
    const callIndex = this.calls.filter((c) => c.method === method).length - 1;

    const delay = this.takeQueued(this.delays, method);
    if (delay !== undefined) await sleep(delay);

    const fault = this.takeQueued(this.faults, method);
    if (fault) {
      if (fault.kind === 'error') this.answer(res, call, { ok: false, error: fault.error });
      else if (fault.kind === 'ratelimit') {
        this.answer(res, call, {
          status: 429,
          headers: { 'retry-after': String(fault.retryAfter ?? 1) },
          body: { ok: false, error: 'ratelimited' },
        });
      } else {
        this.answer(res, call, {
          status: fault.status ?? 500,
          headers: { 'content-type': 'text/html' },
          body: '<html><body>Internal Server Error</body></html>',
        });
      }
      return;
    }

    const authError = this.checkToken(method, token);
    if (authError) {
      this.answer(res, call, { ok: false, error: authError });
      return;
    }

    const handler = this.handlers.get(method) ?? this.handlers.get('*');
    let result: HandlerResult;
    if (handler) {
      result = await handler(args, callIndex, {
        call,
        fake: this,
        defaultResponse: () => this.dispatch(method, args, token),
      });
    }
    this.answer(res, call, result ?? this.dispatch(method, args, token));
  }

  private record(
    method: string,
    args: JsonObject,
    token: string | undefined,
    at: number,
    contentType: string,
    req: IncomingMessage,
  ): RecordedCall {
    const call: RecordedCall = {
      index: this.calls.length,
      method,
      args,
      token,
      at,
      contentType,
      headers: { ...req.headers },
    };
    this.calls.push(call);
    return call;
  }

  private answer(res: ServerResponse, call: RecordedCall, result: JsonObject | RawResponse): void {
    let status = 200;
    let headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    let body: unknown = result;
    if (isRawResponse(result)) {
      status = result.status;
      body = result.body ?? '';
      headers = {
        ...(typeof body === 'string' ? { 'content-type': 'text/plain' } : headers),
        ...result.headers,
      };
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    call.status = status;
    call.response = body;
    call.answeredAt = Date.now();
    res.writeHead(status, headers);
    res.end(text);
    this.notify(call);
  }

  private checkToken(method: string, token: string | undefined): string | undefined {
    if (!token) return 'not_authed';
    const valid = this.options.validTokens;
    if (valid && !valid.includes(token)) return 'invalid_auth';
    if (method === 'apps.connections.open' && !token.startsWith('xapp-')) {
      // Slack says not_allowed_token_type; socket-mode 3 retries that forever, invalid_auth stops it.
      return 'invalid_auth';
    }
    return undefined;
  }

  private newChannelId(): string {
    this.counters.channel += 1;
    return `C${pad(this.counters.channel, 8)}`;
  }

  private nextTs(): string {
    this.counters.ts += 1;
    const micros = this.counters.ts * 100;
    const sec = (this.options.tsStart ?? 1732300000) + Math.floor(micros / 1_000_000);
    return `${sec}.${pad(micros % 1_000_000, 6)}`;
  }

  private nextHash(): string {
    this.counters.hash += 1;
    return `${1732300000 + this.counters.hash}.${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  }

  private resolveChannelId(ref: string): string | undefined {
    if (this.channelsById.has(ref)) return ref;
    const name = ref.startsWith('#') ? ref.slice(1) : ref;
    for (const ch of this.channelsById.values()) if (ch.name === name) return ch.id;
    return undefined;
  }

  /** Finds the channel, creating unknown ids on first use unless strictChannels. */
  private ensureChannel(ref: unknown): FakeChannel | undefined {
    const s = str(ref);
    if (!s) return undefined;
    const id = this.resolveChannelId(s);
    if (id) return this.channelsById.get(id);
    if (/^[UW][A-Z0-9]+$/.test(s)) {
      const dm = `D${s.slice(1)}`;
      return this.channelsById.get(dm) ?? this.addChannel({ id: dm, name: s, members: [this.bot.userId, s] });
    }
    if (this.options.strictChannels || !/^[CGD][A-Z0-9]+$/.test(s)) return undefined;
    return this.addChannel({ id: s, name: s.toLowerCase() });
  }

  private lookupUser(id: string): FakeUser | undefined {
    if (this.unknownUsers.has(id)) return undefined;
    const known = this.users.get(id);
    if (known) return known;
    if (/^[UW][A-Z0-9]{2,}$/.test(id)) return this.addUser({ id });
    return undefined;
  }

  private channelJson(ch: FakeChannel): JsonObject {
    return {
      id: ch.id,
      name: ch.name,
      name_normalized: ch.name,
      is_channel: !ch.is_private && !ch.is_im,
      is_group: ch.is_private,
      is_im: ch.is_im,
      is_mpim: false,
      is_private: ch.is_private,
      is_archived: ch.is_archived,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: ch.members.has(this.bot.userId),
      created: ch.created,
      creator: ch.creator,
      unlinked: 0,
      topic: { value: ch.topic, creator: '', last_set: 0 },
      purpose: { value: ch.purpose, creator: '', last_set: 0 },
      num_members: ch.members.size,
      previous_names: [],
    };
  }

  private userJson(u: FakeUser): JsonObject {
    return {
      id: u.id,
      team_id: this.team.id,
      name: u.name,
      deleted: u.deleted,
      real_name: u.real_name,
      tz: u.tz,
      tz_label: u.tz,
      tz_offset: u.tz_offset,
      is_bot: u.is_bot,
      is_admin: false,
      is_owner: false,
      is_app_user: false,
      updated: 1732200000,
      profile: {
        real_name: u.real_name,
        display_name: u.name,
        real_name_normalized: u.real_name,
        display_name_normalized: u.name,
        email: u.email ?? `${u.name}@${this.team.domain}.example`,
        image_48: `https://avatars.example/${u.id}_48.png`,
        team: this.team.id,
      },
    };
  }

  private messageJson(m: StoredMessage): JsonObject {
    const out: JsonObject = {
      type: 'message',
      text: m.text,
      user: m.user,
      ts: m.ts,
      team: m.team,
      blocks: clone(m.blocks),
    };
    if (m.subtype) out.subtype = m.subtype;
    if (m.bot_id) {
      out.bot_id = m.bot_id;
      out.app_id = m.app_id;
      out.bot_profile = {
        id: m.bot_id,
        app_id: m.app_id,
        name: this.bot.name,
        team_id: this.team.id,
        deleted: false,
      };
    }
    if (m.attachments) out.attachments = clone(m.attachments);
    if (m.metadata) out.metadata = clone(m.metadata);
    if (m.thread_ts) out.thread_ts = m.thread_ts;
    if (m.reply_count) out.reply_count = m.reply_count;
    if (m.edited) out.edited = { ...m.edited };
    if (m.pinned) out.pinned_to = [m.channel];
    if (m.reactions.length > 0) out.reactions = clone(m.reactions);
    return out;
  }

  /** Copies blocks and fills in block_id / action_id like Slack does. */
  private normalizeBlocks(blocks: unknown): SlackBlock[] {
    if (!Array.isArray(blocks)) return [];
    const copy = clone(blocks) as unknown[];
    const out: SlackBlock[] = [];
    const fillAction = (el: unknown): void => {
      if (
        isObj(el) &&
        typeof el.type === 'string' &&
        el.type !== 'image' &&
        el.type !== 'mrkdwn' &&
        el.type !== 'plain_text'
      ) {
        if (el.action_id === undefined) el.action_id = this.nextBlockId();
      }
    };
    for (const b of copy) {
      if (!isObj(b) || typeof b.type !== 'string') continue;
      const block = b as SlackBlock;
      block.block_id ??= this.nextBlockId();
      if (block.type === 'actions' && Array.isArray(block.elements)) block.elements.forEach(fillAction);
      if (block.type === 'section' && block.accessory !== undefined) fillAction(block.accessory);
      if (block.type === 'input') fillAction(block.element);
      out.push(block);
    }
    return out;
  }

  private blockError(errors: string[]): JsonObject {
    return {
      ok: false,
      error: 'invalid_blocks',
      errors,
      response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
    };
  }

  private pushMessage(msg: StoredMessage): void {
    const list = this.messageStore.get(msg.channel) ?? [];
    list.push(msg);
    this.messageStore.set(msg.channel, list);
    if (msg.thread_ts && msg.thread_ts !== msg.ts) {
      const parent = list.find((m) => m.ts === msg.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
      }
    }
  }

  private react(msg: StoredMessage, name: string, user: string): boolean {
    let r = msg.reactions.find((x) => x.name === name);
    if (!r) {
      r = { name, users: [], count: 0 };
      msg.reactions.push(r);
    }
    if (r.users.includes(user)) return false;
    r.users.push(user);
    r.count = r.users.length;
    return true;
  }

  private findMessage(
    channelRef: unknown,
    ts: unknown,
  ): { msg: StoredMessage } | { msg?: undefined; answer: JsonObject } {
    const ch = this.ensureChannel(channelRef);
    if (!ch) return { answer: { ok: false, error: 'channel_not_found' } };
    const t = str(ts);
    const msg = t === undefined ? undefined : this.message(ch.id, t);
    if (!msg) return { answer: { ok: false, error: 'message_not_found' } };
    return { msg };
  }

  private storeView(
    raw: JsonObject,
    opts: { id?: string; previous?: StoredView; user_id?: string; trigger_id?: string },
  ): StoredView {
    const id = opts.id ?? `V${pad(++this.counters.view, 8)}`;
    const prev = opts.previous;
    const view: StoredView = {
      id,
      type: str(raw.type) ?? 'modal',
      callback_id: str(raw.callback_id) ?? '',
      private_metadata: str(raw.private_metadata) ?? '',
      external_id: str(raw.external_id) ?? '',
      title: raw.title,
      submit: raw.submit,
      close: raw.close,
      blocks: this.normalizeBlocks(raw.blocks),
      state: { values: {} },
      hash: this.nextHash(),
      root_view_id: prev?.root_view_id ?? id,
      previous_view_id: prev && prev.id !== id ? prev.id : null,
      team_id: this.team.id,
      app_id: this.bot.appId,
      bot_id: this.bot.botId,
      clear_on_close: truthy(raw.clear_on_close),
      notify_on_close: truthy(raw.notify_on_close),
      revisions: prev && prev.id === id ? prev.revisions + 1 : 0,
      ...(opts.user_id ? { user_id: opts.user_id } : {}),
      ...(opts.trigger_id ? { trigger_id: opts.trigger_id } : {}),
    };
    this.viewStore.set(id, view);
    return view;
  }

  private viewJson(v: StoredView): JsonObject {
    const { revisions: _r, user_id: _u, trigger_id: _t, ...rest } = v;
    return clone(rest) as JsonObject;
  }

  /** Built-in behaviour of each method. Mutates state; returns the JSON answer. */
  private dispatch(method: string, args: JsonObject, token: string | undefined): JsonObject {
    const validate = this.options.validateBlocks ?? true;
    switch (method) {
      case 'api.test':
        return { ok: true, args };

      case 'auth.test':
        if (token?.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
        return {
          ok: true,
          url: `https://${this.team.domain}.slack.com/`,
          team: this.team.name,
          user: this.bot.name,
          team_id: this.team.id,
          user_id: this.bot.userId,
          bot_id: this.bot.botId,
          is_enterprise_install: false,
        };

      case 'apps.connections.open': {
        if (!this.socketMode)
          return { ok: false, error: 'invalid_auth', fake_slack_hint: UNRECOVERABLE_HINT };
        return { ok: true, url: this.socketMode.connectionUrl() };
      }

      // ------------------------------------------------------------ conversations
      case 'conversations.create': {
        const name = str(args.name) ?? '';
        if (name.length === 0) return { ok: false, error: 'invalid_name_required' };
        if (name.length > 80) return { ok: false, error: 'invalid_name_maxlength' };
        if (/[^a-z0-9_-]/.test(name)) return { ok: false, error: 'invalid_name_specials' };
        if (/^[-_]+$/.test(name)) return { ok: false, error: 'invalid_name_punctuation' };
        if ([...this.channelsById.values()].some((c) => c.name === name))
          return { ok: false, error: 'name_taken' };
        const ch = this.addChannel({ name, is_private: truthy(args.is_private), members: [this.bot.userId] });
        return { ok: true, channel: this.channelJson(ch) };
      }

      case 'conversations.info': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: this.channelJson(ch) };
      }

      case 'conversations.list': {
        const types = (str(args.types) ?? 'public_channel').split(',');
        const excludeArchived = truthy(args.exclude_archived);
        const all = [...this.channelsById.values()].filter(
          (c) =>
            !c.is_im &&
            (c.is_private ? types.includes('private_channel') : types.includes('public_channel')) &&
            !(excludeArchived && c.is_archived),
        );
        const limit = Math.max(1, Number(str(args.limit) ?? 100) || 100);
        const start = Number(str(args.cursor) ?? 0) || 0;
        const next = start + limit < all.length ? String(start + limit) : '';
        return {
          ok: true,
          channels: all.slice(start, start + limit).map((c) => this.channelJson(c)),
          response_metadata: { next_cursor: next },
        };
      }

      case 'conversations.members': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        const all = [...ch.members];
        const limit = Math.max(1, Number(str(args.limit) ?? 100) || 100);
        const cursor = str(args.cursor);
        const start = cursor
          ? Number(Buffer.from(cursor, 'base64').toString('utf8').replace('offset:', '')) || 0
          : 0;
        const page = all.slice(start, start + limit);
        const next =
          start + limit < all.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
        return { ok: true, members: page, response_metadata: { next_cursor: next } };
      }

      case 'conversations.join': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        if (ch.is_archived) return { ok: false, error: 'is_archived' };
        if (ch.is_private || ch.is_im) return { ok: false, error: 'method_not_supported_for_channel_type' };
        const already = ch.members.has(this.bot.userId);
        ch.members.add(this.bot.userId);
        return {
          ok: true,
          channel: this.channelJson(ch),
          ...(already
            ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }
            : {}),
        };
      }

      case 'conversations.invite': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        if (ch.is_archived) return { ok: false, error: 'is_archived' };
        if (ch.is_im) return { ok: false, error: 'method_not_supported_for_channel_type' };
        const users = (str(args.users) ?? '')
          .split(',')
          .map((u) => u.trim())
          .filter((u) => u.length > 0);
        if (users.length === 0) return { ok: false, error: 'no_user' };
        if (users.length > (this.options.maxInviteUsers ?? 1000))
          return { ok: false, error: 'too_many_users' };
        const errors: Array<{ user: string; ok: false; error: string }> = [];
        const ok: string[] = [];
        for (const u of users) {
          let error: string | undefined;
          if (u === this.bot.userId) error = 'cant_invite_self';
          else if (!this.lookupUser(u)) error = 'user_not_found';
          else if (this.cantInvite.has(u)) error = 'cant_invite';
          else if (ch.members.has(u)) error = 'already_in_channel';
          if (error) errors.push({ user: u, ok: false, error });
          else ok.push(u);
        }
        const force = truthy(args.force);
        const first = errors[0];
        if (first && !force) return { ok: false, error: first.error, errors };
        for (const u of ok) ch.members.add(u);
        if (first && ok.length === 0) return { ok: false, error: first.error, errors };
        return { ok: true, channel: this.channelJson(ch), ...(errors.length > 0 ? { errors } : {}) };
      }

      case 'conversations.kick': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        const u = str(args.user) ?? '';
        if (!ch.members.has(u)) return { ok: false, error: 'not_in_channel' };
        ch.members.delete(u);
        return { ok: true };
      }

      case 'conversations.setTopic':
      case 'conversations.setPurpose': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        if (method === 'conversations.setTopic') ch.topic = str(args.topic) ?? '';
        else ch.purpose = str(args.purpose) ?? '';
        return { ok: true, channel: this.channelJson(ch) };
      }

      case 'conversations.rename': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        const name = str(args.name) ?? '';
        if ([...this.channelsById.values()].some((c) => c.name === name && c.id !== ch.id))
          return { ok: false, error: 'name_taken' };
        ch.name = name;
        return { ok: true, channel: this.channelJson(ch) };
      }

      case 'conversations.archive':
      case 'conversations.unarchive': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        const archiving = method === 'conversations.archive';
        if (archiving && ch.is_archived) return { ok: false, error: 'already_archived' };
        if (!archiving && !ch.is_archived) return { ok: false, error: 'not_archived' };
        ch.is_archived = archiving;
        return { ok: true };
      }

      case 'conversations.history':
      case 'conversations.replies': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        const inclusive = truthy(args.inclusive);
        const latest = str(args.latest);
        const oldest = str(args.oldest);
        const limit = Number(str(args.limit) ?? 100) || 100;
        let list = this.messages(ch.id);
        if (method === 'conversations.replies') {
          const ts = str(args.ts);
          const parent = list.find((m) => m.ts === ts);
          if (!parent) return { ok: false, error: 'thread_not_found' };
          list = list.filter((m) => m.ts === ts || m.thread_ts === ts);
        } else {
          list = list
            .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
            .slice()
            .reverse();
        }
        list = list.filter((m) => {
          const t = Number(m.ts);
          if (latest !== undefined && (inclusive ? t > Number(latest) : t >= Number(latest))) return false;
          if (oldest !== undefined && (inclusive ? t < Number(oldest) : t <= Number(oldest))) return false;
          return true;
        });
        return {
          ok: true,
          messages: list.slice(0, limit).map((m) => this.messageJson(m)),
          has_more: list.length > limit,
          response_metadata: { next_cursor: '' },
        };
      }

      // ------------------------------------------------------------ chat
      case 'chat.postMessage': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        if (ch.is_archived) return { ok: false, error: 'is_archived' };
        const text = str(args.text) ?? '';
        if (text === '' && args.blocks === undefined && args.attachments === undefined)
          return { ok: false, error: 'no_text' };
        if (text.length > LIMITS.messageText) return { ok: false, error: 'msg_too_long' };
        if (validate) {
          const errors = validateBlocks(args.blocks, 'message');
          if (errors.length > 0) return this.blockError(errors);
        }
        const msg: StoredMessage = {
          type: 'message',
          channel: ch.id,
          ts: this.nextTs(),
          text,
          blocks: this.normalizeBlocks(args.blocks),
          user: this.bot.userId,
          bot_id: this.bot.botId,
          app_id: this.bot.appId,
          team: this.team.id,
          pinned: false,
          reactions: [],
          revisions: [],
        };
        if (Array.isArray(args.attachments)) msg.attachments = clone(args.attachments);
        if (args.metadata !== undefined) msg.metadata = clone(args.metadata);
        const threadTs = str(args.thread_ts);
        if (threadTs) msg.thread_ts = threadTs;
        this.pushMessage(msg);
        return { ok: true, channel: ch.id, ts: msg.ts, message: this.messageJson(msg) };
      }

      case 'chat.update': {
        const found = this.findMessage(args.channel, args.ts);
        if (!found.msg) return found.answer;
        const msg = found.msg;
        if (msg.user !== this.bot.userId) return { ok: false, error: 'cant_update_message' };
        const text = str(args.text);
        if (text !== undefined && text.length > LIMITS.messageText)
          return { ok: false, error: 'msg_too_long' };
        if (validate) {
          const errors = validateBlocks(args.blocks, 'message');
          if (errors.length > 0) return this.blockError(errors);
        }
        msg.revisions.push({ text: msg.text, blocks: clone(msg.blocks) });
        if (text !== undefined) msg.text = text;
        if (args.blocks !== undefined) msg.blocks = this.normalizeBlocks(args.blocks);
        if (Array.isArray(args.attachments)) msg.attachments = clone(args.attachments);
        msg.edited = { user: this.bot.userId, ts: this.nextTs() };
        return { ok: true, channel: msg.channel, ts: msg.ts, text: msg.text, message: this.messageJson(msg) };
      }

      case 'chat.delete': {
        const found = this.findMessage(args.channel, args.ts);
        if (!found.msg) return found.answer;
        const msg = found.msg;
        if (msg.user !== this.bot.userId) return { ok: false, error: 'cant_delete_message' };
        const list = this.messageStore.get(msg.channel) ?? [];
        this.messageStore.set(
          msg.channel,
          list.filter((m) => m !== msg),
        );
        return { ok: true, channel: msg.channel, ts: msg.ts };
      }

      case 'chat.postEphemeral': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        const user = str(args.user);
        if (!user || !this.lookupUser(user)) return { ok: false, error: 'user_not_found' };
        const text = str(args.text) ?? '';
        if (text === '' && args.blocks === undefined && args.attachments === undefined)
          return { ok: false, error: 'no_text' };
        if (validate) {
          const errors = validateBlocks(args.blocks, 'message');
          if (errors.length > 0) return this.blockError(errors);
        }
        const eph: StoredEphemeral = {
          channel: ch.id,
          user,
          message_ts: this.nextTs(),
          text,
          blocks: this.normalizeBlocks(args.blocks),
        };
        const threadTs = str(args.thread_ts);
        if (threadTs) eph.thread_ts = threadTs;
        this.ephemeralStore.push(eph);
        return { ok: true, message_ts: eph.message_ts };
      }

      case 'chat.getPermalink': {
        const found = this.findMessage(args.channel, args.message_ts);
        if (!found.msg) return found.answer;
        const msg = found.msg;
        return { ok: true, channel: msg.channel, permalink: this.permalink(msg.channel, msg.ts) };
      }

      // ------------------------------------------------------------ pins & reactions
      case 'pins.add':
      case 'pins.remove': {
        const found = this.findMessage(args.channel, args.timestamp);
        if (!found.msg) return found.answer;
        const msg = found.msg;
        if (method === 'pins.add') {
          if (msg.pinned) return { ok: false, error: 'already_pinned' };
          msg.pinned = true;
        } else {
          if (!msg.pinned) return { ok: false, error: 'no_pin' };
          msg.pinned = false;
        }
        return { ok: true };
      }

      case 'pins.list': {
        const ch = this.ensureChannel(args.channel);
        if (!ch) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          items: this.pinned(ch.id).map((m) => ({
            type: 'message',
            channel: ch.id,
            created: Math.floor(Number(m.ts)),
            message: this.messageJson(m),
          })),
        };
      }

      case 'reactions.add':
      case 'reactions.remove': {
        const found = this.findMessage(args.channel, args.timestamp);
        if (!found.msg) return found.answer;
        const msg = found.msg;
        const name = str(args.name) ?? '';
        if (method === 'reactions.add') {
          if (!this.react(msg, name, this.bot.userId)) return { ok: false, error: 'already_reacted' };
        } else {
          const r = msg.reactions.find((x) => x.name === name);
          if (!r?.users.includes(this.bot.userId)) return { ok: false, error: 'no_reaction' };
          r.users = r.users.filter((u) => u !== this.bot.userId);
          r.count = r.users.length;
          msg.reactions = msg.reactions.filter((x) => x.count > 0);
        }
        return { ok: true };
      }

      case 'reactions.get': {
        const found = this.findMessage(args.channel, args.timestamp);
        if (!found.msg) return found.answer;
        const msg = found.msg;
        const m = this.messageJson(msg);
        m.permalink = this.permalink(msg.channel, msg.ts);
        return { ok: true, type: 'message', channel: msg.channel, message: m };
      }

      // ------------------------------------------------------------ views
      case 'views.open':
      case 'views.push': {
        const trigger = str(args.trigger_id) ?? str(args.interactivity_pointer);
        if (!trigger)
          return {
            ok: false,
            error: 'invalid_arguments',
            response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] },
          };
        if (!isObj(args.view))
          return {
            ok: false,
            error: 'invalid_arguments',
            response_metadata: { messages: ['[ERROR] missing required field: view'] },
          };
        if (validate) {
          const errors = validateView(args.view, 'modal');
          if (errors.length > 0) return this.blockError(errors);
        }
        const view = this.storeView(args.view, { trigger_id: trigger });
        return { ok: true, view: this.viewJson(view) };
      }

      case 'views.update': {
        const viewId = str(args.view_id);
        const externalId = str(args.external_id);
        const prev = viewId
          ? this.viewStore.get(viewId)
          : this.views().find((v) => externalId !== undefined && v.external_id === externalId);
        if (!prev) return { ok: false, error: 'not_found' };
        const hash = str(args.hash);
        if (hash !== undefined && hash !== prev.hash) return { ok: false, error: 'hash_conflict' };
        if (!isObj(args.view)) return { ok: false, error: 'invalid_arguments' };
        if (validate) {
          const errors = validateView(args.view, prev.type === 'home' ? 'home' : 'modal');
          if (errors.length > 0) return this.blockError(errors);
        }
        const view = this.storeView(args.view, {
          id: prev.id,
          previous: prev,
          ...(prev.user_id ? { user_id: prev.user_id } : {}),
        });
        if (view.user_id && view.type === 'home') this.homeViews.set(view.user_id, view);
        return { ok: true, view: this.viewJson(view) };
      }

      case 'views.publish': {
        const userId = str(args.user_id);
        if (!userId || !this.lookupUser(userId)) return { ok: false, error: 'user_not_found' };
        if (!isObj(args.view)) return { ok: false, error: 'invalid_arguments' };
        if (validate) {
          const errors = validateView(args.view, 'home');
          if (errors.length > 0) return this.blockError(errors);
        }
        const prev = this.homeViews.get(userId);
        const hash = str(args.hash);
        if (prev && hash !== undefined && hash !== prev.hash) return { ok: false, error: 'hash_conflict' };
        const view = this.storeView(args.view, {
          user_id: userId,
          ...(prev ? { id: prev.id, previous: prev } : {}),
        });
        this.homeViews.set(userId, view);
        return { ok: true, view: this.viewJson(view) };
      }

      // ------------------------------------------------------------ users & groups
      case 'users.info': {
        const u = this.lookupUser(str(args.user) ?? '');
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: this.userJson(u) };
      }

      case 'users.list':
        return {
          ok: true,
          members: [...this.users.values()].map((u) => this.userJson(u)),
          response_metadata: { next_cursor: '' },
        };

      case 'usergroups.users.list': {
        const id = str(args.usergroup) ?? '';
        const users = this.usergroupMap.get(id);
        if (!users) return { ok: false, error: 'no_such_subteam' };
        return { ok: true, users: [...users] };
      }

      case 'usergroups.list':
        return {
          ok: true,
          usergroups: [...this.usergroupMap.entries()].map(([id, users]) => ({
            id,
            team_id: this.team.id,
            handle: id.toLowerCase(),
            name: id,
            is_usergroup: true,
            user_count: users.length,
            ...(truthy(args.include_users) ? { users: [...users] } : {}),
          })),
        };

      // ------------------------------------------------------------ files
      case 'files.getUploadURLExternal': {
        const filename = str(args.filename);
        const length = Number(str(args.length));
        if (!filename || !Number.isFinite(length)) return { ok: false, error: 'invalid_arguments' };
        const id = `F${pad(++this.counters.file, 8)}`;
        this.fileStore.set(id, { id, filename, length, completed: false, channels: [] });
        return { ok: true, upload_url: `${this.origin}/upload/v1/${id}`, file_id: id };
      }

      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? args.files : [];
        if (files.length === 0) return { ok: false, error: 'invalid_arguments' };
        const out: JsonObject[] = [];
        const channel = str(args.channel_id) ?? str(args.channels);
        for (const f of files) {
          const id = isObj(f) ? str(f.id) : undefined;
          const stored = id ? this.fileStore.get(id) : undefined;
          if (!stored) return { ok: false, error: 'file_not_found' };
          stored.completed = true;
          if (isObj(f) && typeof f.title === 'string') stored.title = f.title;
          if (channel) stored.channels.push(...channel.split(','));
          const comment = str(args.initial_comment);
          if (comment) stored.initial_comment = comment;
          out.push({
            id: stored.id,
            name: stored.filename,
            title: stored.title ?? stored.filename,
            mimetype: 'text/plain',
            filetype: 'text',
            size: stored.uploadedBytes ?? stored.length,
            permalink: `https://${this.team.domain}.slack.com/files/${this.bot.userId}/${stored.id}/${stored.filename}`,
          });
        }
        return { ok: true, files: out };
      }

      default:
        return { ok: true };
    }
  }
}

/** Starts a fake Slack Web API on 127.0.0.1 (random port). */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return new FakeSlack(options).listen();
}
