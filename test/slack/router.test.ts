import { describe, expect, it } from 'vitest';
import { ListenerRouter } from '../../src/slack/listeners/router.ts';

type Args = Parameters<ListenerRouter['find']>[0];

/** What Bolt hands a global middleware, reduced to the fields the router reads. */
function args(fields: Record<string, unknown>, body: Record<string, unknown>): Args {
  return { ...fields, body } as unknown as Args;
}

function routerWith(calls: string[]): ListenerRouter {
  const router = new ListenerRouter();
  const record = (name: string) => async () => void calls.push(name);
  router.action('toggle_checks', record('toggle'));
  router.action(/^choose_option(?::\d+)?$/, record('choose'));
  router.command('/incident', record('incident'));
  router.view('declare_modal', record('declare'));
  router.event('reaction_added', record('reaction'));
  router.shortcut({ callback_id: 'add_to_timeline', type: 'message_action' }, record('timeline'));
  return router;
}

async function dispatch(router: ListenerRouter, request: Args): Promise<boolean> {
  let passedOn = false;
  const next = async () => {
    passedOn = true;
  };
  const middleware = router.middleware() as (a: unknown) => Promise<void>;
  await middleware({ ...request, next });
  return passedOn;
}

describe('ListenerRouter', () => {
  it('runs the one listener of each kind of request, found by its ID, and nothing else', async () => {
    const calls: string[] = [];
    const router = routerWith(calls);
    const block = { type: 'block_actions' };
    expect(await dispatch(router, args({ action: { action_id: 'toggle_checks' } }, block))).toBe(false);
    expect(await dispatch(router, args({ action: { action_id: 'choose_option:2' } }, block))).toBe(false);
    expect(await dispatch(router, args({ command: { command: '/incident' } }, {}))).toBe(false);
    const view = { type: 'view_submission', view: { callback_id: 'declare_modal' } };
    expect(await dispatch(router, args({ view: view.view }, view))).toBe(false);
    expect(await dispatch(router, args({ event: { type: 'reaction_added' } }, {}))).toBe(false);
    const shortcut = { type: 'message_action', callback_id: 'add_to_timeline' };
    expect(await dispatch(router, args({ shortcut }, shortcut))).toBe(false);
    expect(calls).toEqual(['toggle', 'choose', 'incident', 'declare', 'reaction', 'timeline']);
  });

  it('passes on a request no listener is registered for, without running any', async () => {
    const calls: string[] = [];
    const router = routerWith(calls);
    const block = { type: 'block_actions' };
    expect(await dispatch(router, args({ action: { action_id: 'choose_optionx' } }, block))).toBe(true);
    expect(await dispatch(router, args({ command: { command: '/other' } }, {}))).toBe(true);
    const closed = { type: 'view_closed', view: { callback_id: 'declare_modal' } };
    expect(await dispatch(router, args({ view: closed.view }, closed))).toBe(true);
    const global = { type: 'shortcut', callback_id: 'add_to_timeline' };
    expect(await dispatch(router, args({ shortcut: global }, global))).toBe(true);
    expect(calls).toEqual([]);
  });

  it('refuses an ID registered twice: a wiring mistake found at start', () => {
    const router = routerWith([]);
    expect(() => router.action('toggle_checks', async () => undefined)).toThrow(
      'Two action listeners for "toggle_checks": register each ID once',
    );
  });

  it('hands the listener the request as Bolt gave it', async () => {
    const router = new ListenerRouter();
    const seen: unknown[] = [];
    router.command('/incident', async (a) => void seen.push(a.command.text));
    await dispatch(router, args({ command: { command: '/incident', text: 'help' } }, {}));
    expect(seen).toEqual(['help']);
  });
});
