import { errorText, replier, startDrill } from '../commands/incident.ts';
import type { ListenerDeps } from '../deps.ts';
import type { ActionArgs } from './context.ts';

/** "Start a drill" on the weekly runbook review: the same drill as `/incident drill RUN-x`. */
export function startDrillButton(deps: ListenerDeps) {
  return async ({ ack, action, body, respond }: ActionArgs): Promise<void> => {
    await ack();
    const runbookId = 'value' in action ? action.value : undefined;
    // The review is posted in a DM or a channel the clicker may not be in: answer through the response URL.
    const reply = replier(respond);
    if (!runbookId) return;
    try {
      await startDrill(deps, runbookId, { user: body.user.id, reply });
    } catch (error) {
      await reply(errorText(error, deps));
    }
  };
}
