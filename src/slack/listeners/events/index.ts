import type { ListenerDeps } from '../deps.ts';
import { guarded } from '../guard.ts';
import type { ListenerRouter } from '../router.ts';
import { appHomeOpened } from './appHomeOpened.ts';
import { memberJoined } from './memberJoined.ts';
import { reactionAdded } from './reactionAdded.ts';

export function register(app: ListenerRouter, deps: ListenerDeps): void {
  app.event('reaction_added', guarded(deps, 'reactionAdded', reactionAdded(deps)));
  app.event('app_home_opened', guarded(deps, 'appHomeOpened', appHomeOpened(deps)));
  app.event('member_joined_channel', guarded(deps, 'memberJoined', memberJoined(deps)));
}
