import type { CheckboxesAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { parseChecksBlockId } from '../../ids.ts';
import { errorText } from '../commands/incident.ts';
import type { ListenerDeps } from '../deps.ts';
import { channelIncident } from '../privateGuard.ts';
import { type ActionArgs, actorOf } from './context.ts';

/** The option values that were ticked in the message the user saw, for the checkbox element they clicked. */
export function seenSelection(
  blocks: readonly KnownBlock[] | undefined,
  blockId: string,
  actionId: string,
): string[] {
  for (const block of blocks ?? []) {
    if (block.type !== 'actions' || block.block_id !== blockId) continue;
    for (const element of block.elements) {
      if (element.type === 'checkboxes' && element.action_id === actionId) {
        return (element.initial_options ?? []).map((o) => o.value ?? '');
      }
    }
  }
  return [];
}

/** A tick or untick: apply what this click changed, re-render the step from the database, move on if it completed. */
export function toggleChecks(deps: ListenerDeps) {
  return async ({ ack, body, action, context }: ActionArgs): Promise<void> => {
    await ack();
    const checkboxes = action as CheckboxesAction;
    const target = parseChecksBlockId(checkboxes.block_id);
    if (!target) return;
    const actor = actorOf(deps, body);
    const step = await deps.stepUseCases.stepFacts(target.stepId);
    // The private-channel guard has just read the incident of the clicked channel: when it is the step's,
    // it is not read again.
    const known = channelIncident(context);
    const incident = known?.id === step.incidentId ? known : await deps.service.get(step.incidentId);
    // A click must come from the incident's own channel; anything else is a forged or misrouted payload.
    if (body.channel?.id !== incident.channelId) {
      return actor.reply('That checklist belongs to another incident channel.');
    }
    const seen = seenSelection(
      body.message?.blocks as KnownBlock[] | undefined,
      checkboxes.block_id,
      checkboxes.action_id,
    );
    const selected = checkboxes.selected_options.map((o) => o.value ?? '');
    try {
      await deps.stepUseCases.tick(
        { stepId: step.id, seen, selected, actor: actor.user },
        { step, incident },
      );
    } catch (error) {
      // A refused tick (choose an option first, a closed incident) is said to the one who ticked, and the
      // message is drawn again from the database so the box they ticked shows unticked.
      await actor.reply(errorText(error, deps));
      const fresh = await deps.service.step(step.id);
      await deps.workflow.showStep(incident, fresh).catch(() => undefined);
    }
  };
}
