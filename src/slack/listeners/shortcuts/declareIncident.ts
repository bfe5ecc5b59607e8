import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { declareModal } from '../../blocks/modals.ts';
import { declareShortcutFailed } from '../../blocks/shortcuts.ts';
import { slackErrorCode } from '../../errors.ts';
import type { ListenerDeps } from '../deps.ts';

type Args = SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs;

/** The global shortcut "Declare an incident": the same form as `/incident` alone, from anywhere in Slack. */
export function declareIncidentShortcut(deps: ListenerDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    try {
      const runbooks = deps.runbooks().catalog.runbooks.map((r) => ({ id: r.id, title: r.title }));
      // A global shortcut has no channel: as with the App Home button, the form answers in its author's DM.
      await client.views.open({
        trigger_id: body.trigger_id,
        view: declareModal({ runbooks, channelId: body.user.id }),
      });
    } catch (error) {
      const code = slackErrorCode(error);
      deps.log.warn({ user: body.user.id, error: code }, 'declare shortcut failed');
      await client.chat
        .postMessage({ channel: body.user.id, ...declareShortcutFailed(code) })
        .catch((dmError: unknown) =>
          deps.log.warn({ error: slackErrorCode(dmError) }, 'could not tell the user the shortcut failed'),
        );
    }
  };
}
