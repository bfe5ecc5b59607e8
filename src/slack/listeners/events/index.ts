import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import { guarded } from '../guard.ts';
import { appHomeOpened } from './appHomeOpened.ts';
import { memberJoined } from './memberJoined.ts';
import { reactionAdded } from './reactionAdded.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.event('reaction_added', guarded(deps, 'reactionAdded', reactionAdded(deps)));
  app.event('app_home_opened', guarded(deps, 'appHomeOpened', appHomeOpened(deps)));
  app.event('member_joined_channel', guarded(deps, 'memberJoined', memberJoined(deps)));
}
