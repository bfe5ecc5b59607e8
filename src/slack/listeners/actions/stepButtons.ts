import { skipStepModal } from '../../blocks/modals.ts';
import { errorText } from '../commands/incident.ts';
import type { ListenerDeps } from '../deps.ts';
import { type ActionArgs, actorOf, idFromValue } from './context.ts';

/** "Skip step": the reason is asked in a modal, because it goes into the post-mortem. */
export function skipStep(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const stepId = idFromValue(action);
    if (stepId === null) return;
    // A stale Skip on a resolved incident's step is answered here, before a modal asks for a reason.
    await deps.stepUseCases.assertLive(stepId);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: skipStepModal(await deps.service.step(stepId)),
    });
  };
}

/** "Reopen": a done or skipped step becomes active again and its checks can be changed. */
export function reopenStep(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const stepId = idFromValue(action);
    if (stepId === null) return;
    await deps.stepUseCases.reopen({ stepId, actor: actorOf(deps, body).user });
  };
}

/** "Mark done" on a step without checks: complete it and post the next one. */
export function completeStep(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const stepId = idFromValue(action);
    if (stepId === null) return;
    const actor = actorOf(deps, body);
    try {
      await deps.stepUseCases.markDone({ stepId, actor: actor.user });
    } catch (error) {
      await actor.reply(errorText(error, deps));
    }
  };
}
