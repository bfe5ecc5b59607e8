import { timesModal } from '../../blocks/times.ts';
import type { ListenerDeps } from '../deps.ts';
import { type ActionArgs, idFromValue } from './context.ts';

/** Header "Edit times": the structured times in a modal, prefilled. */
export function editTimesButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const incidentId = idFromValue(action);
    if (incidentId === null) return;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: timesModal(await deps.service.get(incidentId)),
    });
  };
}
