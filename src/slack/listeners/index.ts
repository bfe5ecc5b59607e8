import type { App } from '@slack/bolt';
import * as actions from './actions/index.ts';
import * as commands from './commands/index.ts';
import type { ListenerDeps } from './deps.ts';
import * as events from './events/index.ts';
import { ListenerRouter } from './router.ts';
import * as shortcuts from './shortcuts/index.ts';
import * as views from './views/index.ts';

/**
 * Wires every listener; each folder's index.ts maps IDs to one small callback file. They are found by
 * one middleware (router.ts), so call this after the other global middleware (dedupe, private guard).
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const router = new ListenerRouter();
  commands.register(router, deps);
  actions.register(router, deps);
  views.register(router, deps);
  events.register(router, deps);
  shortcuts.register(router, deps);
  app.use(router.middleware());
}
