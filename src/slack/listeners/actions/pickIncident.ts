import type { StaticSelectAction } from '@slack/bolt';
import { parseIncidentCommand } from '../../../domain/command.ts';
import { parsePickBlockId } from '../../blocks/replies.ts';
import { replier, runTargeted } from '../commands/incident.ts';
import type { ListenerDeps } from '../deps.ts';
import type { ActionArgs } from './context.ts';

/** The answer to "Which incident?": re-run the command the user typed against the incident they picked. */
export function pickIncident(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: ActionArgs): Promise<void> => {
    await ack();
    const select = action as StaticSelectAction;
    const incidentId = Number(select.selected_option?.value);
    const text = parsePickBlockId(select.block_id);
    if (!Number.isInteger(incidentId) || text === null) return;
    const actor = { user: body.user.id, reply: replier(respond) };
    if (!text)
      return actor.reply(`Run the command again in the incident's channel, or add #${incidentId} to it.`);
    const parsed = parseIncidentCommand(text);
    if (!('incidentId' in parsed)) return;
    await runTargeted(deps, parsed, incidentId, actor);
  };
}
