import { ADD_STEP_FIELDS, SWITCH_FIELDS } from '../../blocks/courseModals.ts';
import { errorText } from '../commands/incident.ts';
import type { ListenerDeps } from '../deps.ts';
import { metadataId, modalActor, selectedValue, textValue, type ViewArgs } from './context.ts';

export function switchRunbookSubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const runbookId = selectedValue(view.state.values, SWITCH_FIELDS.runbook);
    if (!runbookId) {
      return ack({
        response_action: 'errors',
        errors: { [SWITCH_FIELDS.runbook.blockId]: 'Pick the runbook to follow now.' },
      });
    }
    await ack();
    const incidentId = metadataId(body);
    if (incidentId === null) return;
    const actor = modalActor(deps, body, (await deps.service.get(incidentId)).channelId);
    try {
      await deps.course.switchRunbook({ incidentId, runbookId, actor: actor.user });
    } catch (error) {
      await actor.reply(errorText(error, deps));
    }
  };
}

export function addStepSubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const title = textValue(view.state.values, ADD_STEP_FIELDS.title);
    if (!title) {
      return ack({
        response_action: 'errors',
        errors: { [ADD_STEP_FIELDS.title.blockId]: 'Say what needs doing.' },
      });
    }
    await ack();
    const incidentId = metadataId(body);
    if (incidentId === null) return;
    const checks = (textValue(view.state.values, ADD_STEP_FIELDS.checks) ?? '').split('\n');
    const actor = modalActor(deps, body, (await deps.service.get(incidentId)).channelId);
    try {
      await deps.course.addStep({ incidentId, title, checks, actor: actor.user });
    } catch (error) {
      await actor.reply(errorText(error, deps));
    }
  };
}
