import type { App } from '@slack/bolt';
import * as actions from './actions/index.ts';
import * as commands from './commands/index.ts';
import type { ListenerDeps } from './deps.ts';
import * as events from './events/index.ts';
import * as shortcuts from './shortcuts/index.ts';
import * as views from './views/index.ts';

/** Wires every listener; each folder's index.ts maps IDs to one small callback file. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  commands.register(app, deps);
  actions.register(app, deps);
  views.register(app, deps);
  events.register(app, deps);
  shortcuts.register(app, deps);
}
