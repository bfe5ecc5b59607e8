import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** The user opened the bot's Home tab: publish their view of the open incidents (the Messages tab needs nothing). */
export function appHomeOpened(deps: ListenerDeps) {
  return async ({ event }: Args): Promise<void> => {
    if (event.tab !== 'home' || !deps.home) return;
    await deps.home.opened(event.user);
  };
}
