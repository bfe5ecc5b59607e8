import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { type IncidentCommand, parseIncidentCommand } from '../domain/command.ts';
import type { Logger } from '../log.ts';
import { ACTIONS } from './ids.ts';

/**
 * The key Slack repeats when it delivers the same request again, or null when there is none to trust.
 * - Events API: a retry (X-Slack-Retry-Num, or a Socket Mode redelivery) carries the same `event_id`.
 * - Slash commands, block actions and view submissions: each user gesture gets its own `trigger_id`,
 *   and a duplicated delivery carries the same one. Without it, a block action falls back to
 *   `action_ts` + user + action, and a view submission to view id + hash (the hash changes on update).
 * Keys are namespaced by team so two workspaces never collide.
 */
/** The store's idempotency keys, asked before the listener runs. */
export interface SeenKeys {
  /** True the first time `key` is seen, false afterwards; the database's unique key decides a race. */
  firstTime(key: string): Promise<boolean>;
}

export function slackRequestKey(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const team = teamOf(b);
  const type = str(b.type);
  if (type === 'event_callback') {
    const eventId = str(b.event_id);
    return eventId ? `slack:event:${team}:${eventId}` : null;
  }
  const triggerId = str(b.trigger_id);
  if (typeof b.command === 'string') return triggerId ? `slack:command:${team}:${triggerId}` : null;
  if (type === 'block_actions') {
    if (triggerId) return `slack:action:${team}:${triggerId}`;
    const action = Array.isArray(b.actions)
      ? (b.actions[0] as Record<string, unknown> | undefined)
      : undefined;
    const ts = str(action?.action_ts);
    const user = str((b.user as Record<string, unknown> | undefined)?.id);
    return ts && user ? `slack:action:${team}:${user}:${str(action?.action_id)}:${ts}` : null;
  }
  if (type === 'view_submission') {
    if (triggerId) return `slack:view:${team}:${triggerId}`;
    const view = b.view as Record<string, unknown> | undefined;
    const id = str(view?.id);
    const hash = str(view?.hash);
    return id && hash ? `slack:view:${team}:${id}:${hash}` : null;
  }
  return null;
}

function isIdempotentAction(body: unknown, actions: ReadonlySet<string>): boolean {
  const b = body as { type?: unknown; actions?: unknown };
  if (b?.type !== 'block_actions' || !Array.isArray(b.actions) || b.actions.length !== 1) return false;
  return actions.has(str((b.actions[0] as Record<string, unknown>).action_id));
}

/**
 * `/incident` answers given whole in the ack that write nothing: a repeat shows the same answer again,
 * so they need no key, and the write would only delay their ack.
 */
const READ_ONLY_COMMANDS: ReadonlySet<IncidentCommand['kind']> = new Set([
  'help',
  'list',
  'runbooks',
  'invalid',
]);

function isReadOnlyCommand(body: unknown): boolean {
  const b = body as { command?: unknown; text?: unknown };
  if (b?.command !== '/incident') return false;
  return READ_ONLY_COMMANDS.has(parseIncidentCommand(str(b.text)).kind);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function teamOf(b: Record<string, unknown>): string {
  if (typeof b.team_id === 'string') return b.team_id;
  const team = b.team as Record<string, unknown> | undefined;
  return str(team?.id) || '-';
}

/** Clicks whose handling is idempotent by itself: a repeat changes nothing, so they are not keyed. */
const IDEMPOTENT_ACTIONS: ReadonlySet<string> = new Set([ACTIONS.toggleChecks]);

/**
 * Global middleware: a request Slack delivers twice is acted on once, across restarts. The key is
 * recorded before the listener runs (at most once): a repeat is acknowledged and dropped, so a retried
 * `/incident declare` never opens a second channel and a retried event never writes a second timeline entry.
 */
export function dedupeRequests(
  idempotency: SeenKeys,
  log: Logger,
  idempotentActions: ReadonlySet<string> = IDEMPOTENT_ACTIONS,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    // An action that is idempotent by itself (a tick sets boxes to what the user saw plus their change)
    // needs no key: the write would only delay its ack, 50 responders clicking at once.
    const repeatable = isIdempotentAction(args.body, idempotentActions) || isReadOnlyCommand(args.body);
    const key = repeatable ? null : slackRequestKey(args.body);
    if (key === null || (await idempotency.firstTime(key))) {
      await args.next();
      return;
    }
    log.info({ key, retryNum: args.context.retryNum }, 'duplicate Slack request: acknowledged, not acted on');
    // Events are acknowledged by Bolt before middleware runs; everything else needs an empty ack.
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}
