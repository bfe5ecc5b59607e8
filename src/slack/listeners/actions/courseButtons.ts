import { addStepModal, switchRunbookModal } from '../../blocks/courseModals.ts';
import { parseAssignBlockId } from '../../ids.ts';
import { errorText } from '../commands/incident.ts';
import type { ListenerDeps } from '../deps.ts';
import { type ActionArgs, actorOf, incidentModalButton } from './context.ts';

/** Header "Switch runbook": the runbooks to pick from, in a modal. */
export function switchRunbookButton(deps: ListenerDeps) {
  return incidentModalButton(deps, (incident) =>
    switchRunbookModal(
      incident,
      deps.runbooks().catalog.runbooks.map((r) => ({ id: r.id, title: r.title })),
    ),
  );
}

/** Header "Add step": a title and its checks, in a modal. */
export function addStepButton(deps: ListenerDeps) {
  return incidentModalButton(deps, addStepModal);
}

/** The user picker on a step: the step is handed to whoever was picked. */
export function assignStep(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const stepId = parseAssignBlockId(action.block_id);
    const assignee = 'selected_user' in action ? action.selected_user : null;
    if (stepId === null || !assignee) return;
    const actor = actorOf(deps, body);
    try {
      await deps.course.assign({ stepId, assignee, actor: actor.user });
    } catch (error) {
      await actor.reply(errorText(error, deps));
    }
  };
}
