/**
 * Requests to the bot, signed exactly as Slack signs them, and realistic payload builders.
 *
 *   const server = await app.start({ port: 0 });
 *   const base = baseUrlOf(server);                      // http://127.0.0.1:PORT -> POST /slack/events
 *   const res = await slashCommand(base, SECRET, { text: 'declare P1 db down', user_id: 'U0A', channel_id: 'C0GEN' });
 *   const forged = await slashCommand(base, SECRET, {...}, { tamper: 'forged' });   // 401
 *
 * Signing: `X-Slack-Signature: v0=` + hex HMAC-SHA256(secret, `v0:${ts}:${rawBody}`), `X-Slack-Request-Timestamp: ts`.
 * Bolt's HTTPReceiver compares Content-Type to 'application/x-www-form-urlencoded' *exactly* (a
 * `; charset=…` suffix makes it JSON.parse the form body -> 400), so form bodies are sent as strings
 * with that exact header, never as URLSearchParams (fetch would add `;charset=UTF-8`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_BOT, FAKE_TEAM, type JsonObject, type SlackBlock } from './fakeSlack.ts';

const DEFAULT_TEAM = { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain };
const DEFAULT_APP_ID = FAKE_BOT.appId;
/** Legacy verification token Slack still sends in the `token` field. */
export const VERIFICATION_TOKEN = 'fakeVerificationToken0001';

export interface HttpResult {
  status: number;
  text: string;
  /** Parsed body when it is JSON, otherwise undefined. */
  json: unknown;
  headers: Headers;
  /** Milliseconds from send to full response. */
  elapsedMs: number;
}

export type Tamper = 'forged' | 'stale' | 'unsigned';

export interface SendOptions {
  /** Unix seconds for X-Slack-Request-Timestamp; default now. */
  timestamp?: number;
  /** 'forged': signature made with a wrong secret; 'stale': correctly signed, timestamp 10 min old; 'unsigned': no signature headers. */
  tamper?: Tamper;
  /** Events API redelivery: X-Slack-Retry-Num / X-Slack-Retry-Reason. */
  retryNum?: number;
  retryReason?: string;
  headers?: Record<string, string>;
}

export type UserRef = string | { id: string; name?: string; username?: string; team_id?: string };
export type ChannelRef = string | { id: string; name?: string };

// ------------------------------------------------------------------ transport

/** POST with global fetch; returns status, text and parsed JSON (if any). */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const started = Date.now();
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers, elapsedMs: Date.now() - started };
}

/** `v0=<hex>` for the given secret, timestamp and raw body. */
export function slackSignature(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** Headers Slack would send for this body, with optional tampering. */
export function signedHeaders(
  secret: string,
  rawBody: string,
  contentType: string,
  opts: SendOptions = {},
): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const ts = opts.tamper === 'stale' ? now - 10 * 60 : (opts.timestamp ?? now);
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...opts.headers,
  };
  if (opts.tamper !== 'unsigned') {
    headers['X-Slack-Request-Timestamp'] = String(ts);
    headers['X-Slack-Signature'] = slackSignature(
      opts.tamper === 'forged' ? `${secret}-forged` : secret,
      ts,
      rawBody,
    );
  }
  if (opts.retryNum !== undefined) {
    headers['X-Slack-Retry-Num'] = String(opts.retryNum);
    headers['X-Slack-Retry-Reason'] = opts.retryReason ?? 'http_timeout';
  }
  return headers;
}

/** http://127.0.0.1:PORT for the server `app.start({ port: 0 })` returned. */
export function baseUrlOf(server: Server | AddressInfo): string {
  const addr = typeof server.address === 'function' ? server.address() : (server as AddressInfo);
  if (addr === null || typeof addr === 'string')
    throw new Error('baseUrlOf: server is not listening on a TCP port');
  return `http://127.0.0.1:${addr.port}`;
}

/** A base URL with no path gets Bolt's default endpoint `/slack/events`; a URL with a path is used as is. */
export function eventsUrl(baseUrl: string): string {
  const u = new URL(baseUrl);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/slack/events';
  return u.toString();
}

export async function sendSigned(
  baseUrl: string,
  secret: string,
  rawBody: string,
  contentType: string,
  opts: SendOptions = {},
): Promise<HttpResult> {
  return post(eventsUrl(baseUrl), rawBody, signedHeaders(secret, rawBody, contentType, opts));
}

function formEncode(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

// ------------------------------------------------------------------ slash commands

export interface SlashCommandOptions {
  text?: string;
  user_id: string;
  channel_id: string;
  user_name?: string;
  channel_name?: string;
  command?: string;
  trigger_id?: string;
  /** Use `slack.responseUrl()` to capture respond(); the default points at a closed loopback port. */
  response_url?: string;
  team_id?: string;
  team_domain?: string;
  api_app_id?: string;
  token?: string;
  enterprise_id?: string;
  enterprise_name?: string;
}

export function newTriggerId(): string {
  return `${Math.floor(Date.now() / 1000)}${Math.floor(Math.random() * 1000)}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex').slice(0, 31)}`;
}

function actionTs(): string {
  const ms = Date.now();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + Math.floor(Math.random() * 1000)).padStart(6, '0')}`;
}

function defaultChannelName(channelId: string): string {
  if (channelId.startsWith('D')) return 'directmessage';
  if (channelId.startsWith('G')) return 'privategroup';
  return channelId.toLowerCase();
}

/** The fields Slack sends for a slash command (also the Socket Mode `slash_commands` payload). */
export function slashCommandFields(opts: SlashCommandOptions): Record<string, string> {
  const fields: Record<string, string> = {
    token: opts.token ?? VERIFICATION_TOKEN,
    team_id: opts.team_id ?? DEFAULT_TEAM.id,
    team_domain: opts.team_domain ?? DEFAULT_TEAM.domain,
    channel_id: opts.channel_id,
    channel_name: opts.channel_name ?? defaultChannelName(opts.channel_id),
    user_id: opts.user_id,
    user_name: opts.user_name ?? opts.user_id.toLowerCase(),
    command: opts.command ?? '/incident',
    text: opts.text ?? '',
    api_app_id: opts.api_app_id ?? DEFAULT_APP_ID,
    is_enterprise_install: 'false',
    response_url:
      opts.response_url ??
      `http://127.0.0.1:9/commands/${DEFAULT_TEAM.id}/${Date.now()}/${randomBytes(12).toString('hex')}`,
    trigger_id: opts.trigger_id ?? newTriggerId(),
  };
  if (opts.enterprise_id) {
    fields.enterprise_id = opts.enterprise_id;
    fields.enterprise_name = opts.enterprise_name ?? 'Enterprise';
  }
  return fields;
}

export function slashCommand(
  baseUrl: string,
  secret: string,
  opts: SlashCommandOptions,
  send: SendOptions = {},
): Promise<HttpResult> {
  return sendSigned(
    baseUrl,
    secret,
    formEncode(slashCommandFields(opts)),
    'application/x-www-form-urlencoded',
    send,
  );
}

export function forgedSlashCommand(
  baseUrl: string,
  secret: string,
  opts: SlashCommandOptions,
): Promise<HttpResult> {
  return slashCommand(baseUrl, secret, opts, { tamper: 'forged' });
}

export function staleSlashCommand(
  baseUrl: string,
  secret: string,
  opts: SlashCommandOptions,
): Promise<HttpResult> {
  return slashCommand(baseUrl, secret, opts, { tamper: 'stale' });
}

// ------------------------------------------------------------------ interactions

/** POSTs `payload=<json>` form-encoded, as Slack sends block_actions / view_submission / shortcuts. */
export function interaction(
  baseUrl: string,
  secret: string,
  payload: unknown,
  send: SendOptions = {},
): Promise<HttpResult> {
  return sendSigned(
    baseUrl,
    secret,
    formEncode({ payload: JSON.stringify(payload) }),
    'application/x-www-form-urlencoded',
    send,
  );
}

function userObj(u: UserRef): { id: string; username: string; name: string; team_id: string } {
  if (typeof u === 'string')
    return { id: u, username: u.toLowerCase(), name: u.toLowerCase(), team_id: DEFAULT_TEAM.id };
  const name = u.username ?? u.name ?? u.id.toLowerCase();
  return { id: u.id, username: name, name, team_id: u.team_id ?? DEFAULT_TEAM.id };
}

function channelObj(c: ChannelRef): { id: string; name: string } {
  return typeof c === 'string'
    ? { id: c, name: defaultChannelName(c) }
    : { id: c.id, name: c.name ?? defaultChannelName(c.id) };
}

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The message a user saw: anything with ts and blocks (e.g. `slack.message(ch, ts)` or a postMessage answer). */
export interface SeenMessage {
  ts: string;
  blocks?: SlackBlock[] | unknown[];
  text?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  thread_ts?: string;
}

export interface BlockAction {
  type: string;
  action_id: string;
  block_id: string;
  action_ts: string;
  value?: string;
  text?: unknown;
  selected_option?: unknown;
  selected_options?: unknown[];
  [key: string]: unknown;
}

interface FoundElement {
  block: JsonObject & { block_id: string };
  element: JsonObject & { type: string; action_id: string };
}

/** Finds an interactive element by action_id (optionally block_id) in section accessories, actions and input blocks. */
export function findElement(
  blocks: readonly unknown[] | undefined,
  actionId: string,
  blockId?: string,
): FoundElement | undefined {
  for (const b of blocks ?? []) {
    if (!isObj(b) || typeof b.block_id !== 'string') continue;
    if (blockId !== undefined && b.block_id !== blockId) continue;
    const candidates: unknown[] = [];
    if (Array.isArray(b.elements)) candidates.push(...b.elements);
    if (b.accessory !== undefined) candidates.push(b.accessory);
    if (b.element !== undefined) candidates.push(b.element);
    for (const el of candidates) {
      if (isObj(el) && el.action_id === actionId && typeof el.type === 'string') {
        return { block: b as FoundElement['block'], element: el as FoundElement['element'] };
      }
    }
  }
  return undefined;
}

function mustFind(message: SeenMessage, actionId: string, blockId?: string): FoundElement {
  const found = findElement(message.blocks, actionId, blockId);
  if (!found) {
    throw new Error(
      `no element with action_id '${actionId}'${blockId ? ` in block '${blockId}'` : ''} in message ${message.ts}`,
    );
  }
  return found;
}

function optionValue(o: unknown): string | undefined {
  return isObj(o) && typeof o.value === 'string' ? o.value : undefined;
}

/** A button click on `message` (block_id, value and text taken from the button). */
export function buttonClick(
  message: SeenMessage,
  actionId: string,
  opts: { blockId?: string; value?: string } = {},
): BlockAction {
  const { block, element } = mustFind(message, actionId, opts.blockId);
  const action: BlockAction = {
    type: 'button',
    action_id: actionId,
    block_id: block.block_id,
    text: element.text,
    action_ts: actionTs(),
  };
  const value = opts.value ?? (typeof element.value === 'string' ? element.value : undefined);
  if (value !== undefined) action.value = value;
  if (typeof element.style === 'string') action.style = element.style;
  return action;
}

/**
 * A click on a checkboxes element: `selected_options` = the element's initial_options as the user saw
 * them, plus `check`, minus `uncheck` (option values). That is exactly what Slack sends.
 */
export function checkboxChange(
  message: SeenMessage,
  actionId: string,
  change: { check?: string[]; uncheck?: string[]; blockId?: string },
): BlockAction {
  const { block, element } = mustFind(message, actionId, change.blockId);
  const options = Array.isArray(element.options) ? element.options : [];
  const initial = new Set(
    (Array.isArray(element.initial_options) ? element.initial_options : []).map(optionValue),
  );
  for (const v of change.check ?? []) {
    if (!options.some((o) => optionValue(o) === v))
      throw new Error(`checkbox '${actionId}' has no option '${v}'`);
    initial.add(v);
  }
  for (const v of change.uncheck ?? []) initial.delete(v);
  return {
    type: 'checkboxes',
    action_id: actionId,
    block_id: block.block_id,
    selected_options: options.filter((o) => initial.has(optionValue(o))),
    action_ts: actionTs(),
  };
}

/** A static_select (or overflow) choice on `message`. */
export function selectChange(
  message: SeenMessage,
  actionId: string,
  value: string,
  opts: { blockId?: string } = {},
): BlockAction {
  const { block, element } = mustFind(message, actionId, opts.blockId);
  const options = Array.isArray(element.options) ? element.options : [];
  const chosen = options.find((o) => optionValue(o) === value);
  if (!chosen) throw new Error(`${element.type} '${actionId}' has no option '${value}'`);
  const action: BlockAction = {
    type: element.type,
    action_id: actionId,
    block_id: block.block_id,
    selected_option: chosen,
    action_ts: actionTs(),
  };
  if (element.type === 'static_select' && element.placeholder !== undefined)
    action.placeholder = element.placeholder;
  return action;
}

/** state.values Slack sends with a message's block_actions: current selections of its stateful elements. */
export function messageState(
  blocks: readonly unknown[] | undefined,
  actions: readonly BlockAction[] = [],
): { values: JsonObject } {
  const values: Record<string, JsonObject> = {};
  for (const b of blocks ?? []) {
    if (!isObj(b) || typeof b.block_id !== 'string') continue;
    const els: unknown[] = [
      ...(Array.isArray(b.elements) ? b.elements : []),
      ...(b.accessory !== undefined ? [b.accessory] : []),
    ];
    for (const el of els) {
      if (!isObj(el) || typeof el.action_id !== 'string') continue;
      const acted = actions.find((a) => a.block_id === b.block_id && a.action_id === el.action_id);
      let state: JsonObject | undefined;
      if (el.type === 'checkboxes')
        state = { type: 'checkboxes', selected_options: acted?.selected_options ?? el.initial_options ?? [] };
      else if (el.type === 'static_select' || el.type === 'radio_buttons') {
        state = { type: el.type, selected_option: acted?.selected_option ?? el.initial_option ?? null };
      }
      if (state) values[b.block_id] = { ...(values[b.block_id] ?? {}), [el.action_id]: state };
    }
  }
  return { values };
}

export interface BlockActionsOptions {
  user: UserRef;
  channel: ChannelRef;
  /** The message the user saw (its blocks, at the version the user had on screen). */
  message: SeenMessage;
  actions: BlockAction[];
  trigger_id?: string;
  response_url?: string;
  team?: { id: string; domain: string };
  is_ephemeral?: boolean;
  /** Defaults to messageState(message.blocks, actions). */
  state?: { values: JsonObject };
}

export function blockActionsPayload(opts: BlockActionsOptions): JsonObject {
  const team = opts.team ?? DEFAULT_TEAM;
  const channel = channelObj(opts.channel);
  const m = opts.message;
  const message: JsonObject = { type: 'message', ts: m.ts, text: m.text ?? '', blocks: m.blocks ?? [] };
  for (const k of ['user', 'bot_id', 'app_id', 'team', 'thread_ts'] as const)
    if (m[k] !== undefined) message[k] = m[k];
  return {
    type: 'block_actions',
    user: userObj(opts.user),
    api_app_id: DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: m.ts,
      channel_id: channel.id,
      is_ephemeral: opts.is_ephemeral ?? false,
    },
    trigger_id: opts.trigger_id ?? newTriggerId(),
    team: { id: team.id, domain: team.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel,
    message,
    state: opts.state ?? messageState(m.blocks, opts.actions),
    response_url:
      opts.response_url ??
      `http://127.0.0.1:9/actions/${team.id}/${Date.now()}/${randomBytes(12).toString('hex')}`,
    actions: opts.actions,
  };
}

// ------------------------------------------------------------------ views

export interface ViewSubmissionOptions {
  user: UserRef;
  view: {
    id?: string;
    callback_id: string;
    private_metadata?: string;
    state: { values: JsonObject };
    blocks?: unknown[];
    title?: unknown;
    external_id?: string;
    hash?: string;
    root_view_id?: string;
  };
  trigger_id?: string;
  response_urls?: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
  team?: { id: string; domain: string };
}

function viewObject(view: ViewSubmissionOptions['view'], team: { id: string }): JsonObject {
  const id = view.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  return {
    id,
    team_id: team.id,
    type: 'modal',
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id,
    state: view.state,
    hash: view.hash ?? `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    title: view.title ?? { type: 'plain_text', text: 'Modal', emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: { type: 'plain_text', text: 'Submit', emoji: true },
    previous_view_id: null,
    root_view_id: view.root_view_id ?? id,
    app_id: DEFAULT_APP_ID,
    external_id: view.external_id ?? '',
    app_installed_team_id: team.id,
    bot_id: FAKE_BOT.botId,
  };
}

export function viewSubmissionPayload(opts: ViewSubmissionOptions): JsonObject {
  const team = opts.team ?? DEFAULT_TEAM;
  return {
    type: 'view_submission',
    team: { id: team.id, domain: team.domain },
    user: userObj(opts.user),
    api_app_id: DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: opts.trigger_id ?? newTriggerId(),
    view: viewObject(opts.view, team),
    response_urls: opts.response_urls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewClosedPayload(
  opts: Omit<ViewSubmissionOptions, 'response_urls' | 'trigger_id'>,
): JsonObject {
  const team = opts.team ?? DEFAULT_TEAM;
  return {
    type: 'view_closed',
    team: { id: team.id, domain: team.domain },
    user: userObj(opts.user),
    api_app_id: DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    view: viewObject(opts.view, team),
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** state.values entries for view submissions: `{ [block_id]: { [action_id]: inputValue.x(...) } }`. */
export const inputValue = {
  plainText: (value: string | null): JsonObject => ({ type: 'plain_text_input', value }),
  staticSelect: (value: string | null, text = value ?? ''): JsonObject => ({
    type: 'static_select',
    selected_option: value === null ? null : { text: { type: 'plain_text', text, emoji: true }, value },
  }),
  radio: (value: string | null, text = value ?? ''): JsonObject => ({
    type: 'radio_buttons',
    selected_option: value === null ? null : { text: { type: 'plain_text', text, emoji: true }, value },
  }),
  checkboxes: (values: Array<string | { value: string; text: string }>): JsonObject => ({
    type: 'checkboxes',
    selected_options: values.map((v) => {
      const o = typeof v === 'string' ? { value: v, text: v } : v;
      return { text: { type: 'mrkdwn', text: o.text, verbatim: false }, value: o.value };
    }),
  }),
  usersSelect: (user: string | null): JsonObject => ({ type: 'users_select', selected_user: user }),
  multiUsersSelect: (users: string[]): JsonObject => ({ type: 'multi_users_select', selected_users: users }),
  conversationsSelect: (conversation: string | null): JsonObject => ({
    type: 'conversations_select',
    selected_conversation: conversation,
  }),
  channelsSelect: (channel: string | null): JsonObject => ({
    type: 'channels_select',
    selected_channel: channel,
  }),
};

// ------------------------------------------------------------------ events

export interface EventCallbackBody {
  token: string;
  team_id: string;
  api_app_id: string;
  event: JsonObject & { type: string };
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: JsonObject[];
  is_ext_shared_channel: boolean;
  event_context: string;
}

export interface EventCallbackOptions {
  team_id?: string;
  event_id?: string;
  event_time?: number;
  /** The bot user the event is authorized for (Bolt compares it for ignoreSelf). */
  botUserId?: string;
}

export function eventCallback(
  event: JsonObject & { type: string },
  opts: EventCallbackOptions = {},
): EventCallbackBody {
  const teamId = opts.team_id ?? DEFAULT_TEAM.id;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: DEFAULT_APP_ID,
    event,
    type: 'event_callback',
    event_id: opts.event_id ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: opts.event_time ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: opts.botUserId ?? FAKE_BOT.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('base64url')}`,
  };
}

/** POSTs an event_callback (or url_verification) body as JSON. `retryNum` adds the X-Slack-Retry-* headers. */
export function event(
  baseUrl: string,
  secret: string,
  body: unknown,
  send: SendOptions = {},
): Promise<HttpResult> {
  return sendSigned(baseUrl, secret, JSON.stringify(body), 'application/json', send);
}

export function reactionAddedEvent(opts: {
  user: string;
  reaction: string;
  channel: string;
  ts: string;
  item_user?: string;
  event_ts?: string;
  callback?: EventCallbackOptions;
}): EventCallbackBody {
  return eventCallback(
    {
      type: 'reaction_added',
      user: opts.user,
      reaction: opts.reaction,
      item: { type: 'message', channel: opts.channel, ts: opts.ts },
      item_user: opts.item_user ?? opts.user,
      event_ts: opts.event_ts ?? actionTs(),
    },
    opts.callback,
  );
}

export function appHomeOpenedEvent(opts: {
  user: string;
  tab?: 'home' | 'messages';
  channel?: string;
  view?: JsonObject;
  callback?: EventCallbackOptions;
}): EventCallbackBody {
  const ev: JsonObject & { type: string } = {
    type: 'app_home_opened',
    user: opts.user,
    channel: opts.channel ?? `D${opts.user.slice(1)}`,
    tab: opts.tab ?? 'home',
    event_ts: actionTs(),
  };
  if (opts.view) ev.view = opts.view;
  return eventCallback(ev, opts.callback);
}

export function messageEvent(opts: {
  user: string;
  channel: string;
  text: string;
  ts?: string;
  thread_ts?: string;
  callback?: EventCallbackOptions;
}): EventCallbackBody {
  const ts = opts.ts ?? actionTs();
  const ev: JsonObject & { type: string } = {
    type: 'message',
    user: opts.user,
    channel: opts.channel,
    text: opts.text,
    ts,
    event_ts: ts,
    channel_type: opts.channel.startsWith('D') ? 'im' : 'channel',
    team: DEFAULT_TEAM.id,
  };
  if (opts.thread_ts) ev.thread_ts = opts.thread_ts;
  return eventCallback(ev, opts.callback);
}

export function urlVerificationBody(challenge = randomBytes(16).toString('hex')): JsonObject {
  return { token: VERIFICATION_TOKEN, challenge, type: 'url_verification' };
}
