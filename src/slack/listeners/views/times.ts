import { MILESTONES, type MilestoneTimes } from '../../../domain/milestones.ts';
import type { SavedTimes } from '../../../usecases/editTimes.ts';
import { TIME_FIELDS } from '../../blocks/times.ts';
import { errorText } from '../commands/incident.ts';
import type { ListenerDeps } from '../deps.ts';
import { metadataId, type ViewArgs } from './context.ts';

/** The pickers as ISO times; an emptied picker is null (a clear, which the service may refuse). */
function pickedTimes(values: ViewArgs['view']['state']['values']): MilestoneTimes {
  const times: MilestoneTimes = {};
  for (const m of MILESTONES) {
    const field = TIME_FIELDS[m];
    const seconds = values[field.blockId]?.[field.actionId]?.selected_date_time;
    times[m] = typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;
  }
  return times;
}

export function editTimesSubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const incidentId = metadataId(body);
    if (incidentId === null) return ack();
    let saved: SavedTimes;
    try {
      // Saved before the modal closes, so a wrong time is answered next to the pickers.
      saved = await deps.times.save({
        incidentId,
        times: pickedTimes(view.state.values),
        actor: body.user.id,
      });
    } catch (error) {
      const first = TIME_FIELDS[MILESTONES[0]].blockId;
      return ack({ response_action: 'errors', errors: { [first]: errorText(error, deps) } });
    }
    await ack();
    await deps.times.announce(saved);
  };
}
