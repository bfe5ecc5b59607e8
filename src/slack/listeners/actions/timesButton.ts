import { timesModal } from '../../blocks/times.ts';
import type { ListenerDeps } from '../deps.ts';
import { incidentModalButton } from './context.ts';

/** Header "Edit times": the structured times in a modal, prefilled. */
export function editTimesButton(deps: ListenerDeps) {
  return incidentModalButton(deps, timesModal);
}
