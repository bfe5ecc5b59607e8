import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  BlockAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

type Listener<A> = (args: A) => Promise<void>;
type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type AnyArgs = AnyMiddlewareArgs & AllMiddlewareArgs;

/**
 * Every listener of the app behind one Bolt middleware that finds the one for a request by its ID.
 *
 * Bolt runs each request through every listener registered with app.action/view/command/event, each
 * with its own filter middleware: with the bot's 44 listeners that was 88 async filters and 44 promise
 * chains for every click and command, about a fifth of the CPU of an `/incident help` (issue 19).
 * Here a click costs one Map lookup. The same matching as Bolt's: block action by `action_id` (a
 * RegExp for numbered IDs), command by name, view submission by `callback_id`, event by type,
 * shortcut by `callback_id` and type. An ID registered twice is a wiring mistake and throws at start.
 */
export class ListenerRouter {
  private readonly actions = new Map<string, Listener<ActionArgs>>();
  private readonly actionPatterns: [RegExp, Listener<ActionArgs>][] = [];
  private readonly commands = new Map<string, Listener<CommandArgs>>();
  private readonly views = new Map<string, Listener<ViewArgs>>();
  private readonly events = new Map<string, Listener<AnyArgs>>();
  private readonly shortcuts = new Map<string, Listener<AnyArgs>>();

  action(id: string | RegExp, listener: Listener<ActionArgs>): void {
    if (typeof id === 'string') add(this.actions, id, listener, 'action');
    else this.actionPatterns.push([id, listener]);
  }

  command(name: string, listener: Listener<CommandArgs>): void {
    add(this.commands, name, listener, 'command');
  }

  view(callbackId: string, listener: Listener<ViewArgs>): void {
    add(this.views, callbackId, listener, 'view');
  }

  event<T extends string>(
    type: T,
    listener: Listener<SlackEventMiddlewareArgs<T> & AllMiddlewareArgs>,
  ): void {
    add(this.events, type, listener as unknown as Listener<AnyArgs>, 'event');
  }

  shortcut<S extends SlackShortcut>(
    on: { callback_id: string; type: S['type'] },
    listener: Listener<SlackShortcutMiddlewareArgs<S> & AllMiddlewareArgs>,
  ): void {
    add(this.shortcuts, `${on.type}:${on.callback_id}`, listener as unknown as Listener<AnyArgs>, 'shortcut');
  }

  /** The listener for a request, or null when none is registered for it. */
  find(args: AnyArgs): Listener<AnyArgs> | null {
    const body = args.body as { type?: unknown; callback_id?: unknown; view?: { callback_id?: unknown } };
    if ('action' in args && body.type === 'block_actions') {
      const id = (args.action as { action_id?: string }).action_id ?? '';
      const exact = this.actions.get(id);
      if (exact) return exact as unknown as Listener<AnyArgs>;
      const match = this.actionPatterns.find(([pattern]) => pattern.test(id));
      return (match?.[1] as unknown as Listener<AnyArgs> | undefined) ?? null;
    }
    if ('command' in args) return (this.commands.get(args.command.command) as Listener<AnyArgs>) ?? null;
    if ('view' in args && body.type === 'view_submission') {
      return (this.views.get(String(body.view?.callback_id)) as Listener<AnyArgs>) ?? null;
    }
    if ('event' in args && args.event) return this.events.get(args.event.type) ?? null;
    if ('shortcut' in args)
      return this.shortcuts.get(`${String(body.type)}:${String(body.callback_id)}`) ?? null;
    return null;
  }

  /** The app's last global middleware: it runs the request's listener, or passes on one that has none. */
  middleware(): Middleware<AnyMiddlewareArgs> {
    return async (args) => {
      const listener = this.find(args);
      if (listener) await listener(args);
      else await args.next();
    };
  }
}

function add<L>(map: Map<string, L>, key: string, listener: L, kind: string): void {
  if (map.has(key)) throw new Error(`Two ${kind} listeners for "${key}": register each ID once`);
  map.set(key, listener);
}
