import type { ModalView, PlainTextOption } from '@slack/types';
import type { Incident } from '../../domain/incident.ts';
import { ADHOC_CHECKS_MAX, ADHOC_TITLE_MAX } from '../../services/courseService.ts';
import { VIEWS } from '../ids.ts';
import { incidentHeadline } from './header.ts';
import { plain, section } from './kit.ts';
import { modal } from './modals.ts';
import { truncate } from './mrkdwn.ts';

/** Where the answers of the course modals are: `view.state.values[blockId][actionId]`. */
export const SWITCH_FIELDS = { runbook: { blockId: 'switch_runbook', actionId: 'runbook' } } as const;
export const ADD_STEP_FIELDS = {
  title: { blockId: 'add_step_title', actionId: 'title' },
  checks: { blockId: 'add_step_checks', actionId: 'checks' },
} as const;

/** Slack's most options in one static select. */
const MAX_OPTIONS = 100;

export function switchRunbookModal(
  incident: Incident,
  runbooks: readonly { id: string; title: string }[],
): ModalView {
  const options: PlainTextOption[] = runbooks
    .filter((r) => r.id !== incident.runbookId)
    .slice(0, MAX_OPTIONS)
    .map((r) => ({ text: plain(truncate(`${r.id}: ${r.title}`, 75)), value: r.id }));
  return modal({
    callbackId: VIEWS.switchRunbook,
    title: 'Switch runbook',
    submit: 'Switch',
    privateMetadata: String(incident.id),
    blocks: [
      section(incidentHeadline(incident)),
      section(
        "The current runbook's open steps are skipped (steps done stay on the timeline), and the new runbook's steps are posted.",
      ),
      {
        type: 'input',
        block_id: SWITCH_FIELDS.runbook.blockId,
        label: plain('Runbook to follow now'),
        element: {
          type: 'static_select',
          action_id: SWITCH_FIELDS.runbook.actionId,
          placeholder: plain('Pick a runbook'),
          options,
        },
      },
    ],
  });
}

export function addStepModal(incident: Incident): ModalView {
  return modal({
    callbackId: VIEWS.addStep,
    title: 'Add a step',
    submit: 'Add step',
    privateMetadata: String(incident.id),
    blocks: [
      section(incidentHeadline(incident)),
      {
        type: 'input',
        block_id: ADD_STEP_FIELDS.title.blockId,
        label: plain('What needs doing'),
        element: {
          type: 'plain_text_input',
          action_id: ADD_STEP_FIELDS.title.actionId,
          max_length: ADHOC_TITLE_MAX,
          placeholder: plain('e.g. Drain node-7'),
        },
      },
      {
        type: 'input',
        block_id: ADD_STEP_FIELDS.checks.blockId,
        optional: true,
        label: plain(`Checks, one a line (at most ${ADHOC_CHECKS_MAX})`),
        element: {
          type: 'plain_text_input',
          action_id: ADD_STEP_FIELDS.checks.actionId,
          multiline: true,
          max_length: 2000,
          placeholder: plain('e.g. Pods rescheduled\nError rate below 1%'),
        },
      },
    ],
  });
}
