import type { Incident } from '../../domain/incident.ts';
import type { Resolution } from '../../domain/readOnlySteps.ts';
import type { IncidentStep } from '../../domain/steps.ts';
import { checklistHeading } from './checklist.ts';
import { actor, context, inline, LIMIT, type Message, section } from './kit.ts';
import { escapeMrkdwn, slackDate, truncate } from './mrkdwn.ts';

/** "Step 2 of 5 of RUN-001", or a checklist's heading: which counter this is, said next to it. */
export interface ReadOnlyLabel {
  index: number;
  total: number;
  runbookId: string | null;
}

const TITLE_MAX = 1000;

/**
 * A step of a resolved incident: what became of it (done, skipped, not done), and a line saying the
 * incident was resolved, by whom and when. No checkboxes, no buttons: nothing here can be changed now.
 */
export function readOnlyStepMessage(
  incident: Pick<Incident, 'id'>,
  step: IncidentStep,
  label: ReadOnlyLabel,
  resolution: Resolution | null,
): Message {
  const name =
    step.section === 'step'
      ? `*Step ${label.index} of ${label.total}${label.runbookId ? ` of ${inline(label.runbookId, 50)}` : ''}* · ${inline(step.title, TITLE_MAX)}`
      : `*${inline(checklistHeading(step), 500)}*`;
  const outcome = outcomeOf(step);
  const by = resolution ? ` by ${actor(resolution.by)} ${slackDate(resolution.at)}` : '';
  const note = `🔒 Read-only: incident #${incident.id} was resolved${by}. Reopen it with \`/incident status investigating\` to work on its steps again.`;
  return {
    text: truncate(
      `${outcome.plain}: ${escapeMrkdwn(step.title)} (incident #${incident.id} resolved)`,
      LIMIT.notification,
    ),
    blocks: [section(`${outcome.icon} ${name} — ${outcome.text}`), context(note)],
  };
}

function outcomeOf(step: IncidentStep): { icon: string; text: string; plain: string } {
  if (step.section !== 'step') {
    const done = step.checks.filter((c) => c.checked).length;
    const all = done === step.checks.length;
    return { icon: all ? '✅' : '⏹️', text: `${done} of ${step.checks.length} checked`, plain: 'Checklist' };
  }
  switch (step.state) {
    case 'done': {
      const by = step.completedBy ? ` by ${actor(step.completedBy)}` : '';
      const at = step.completedAt ? ` ${slackDate(step.completedAt)}` : '';
      return { icon: '✅', text: `done${by}${at}`, plain: 'Done' };
    }
    case 'skipped': {
      const by = step.skippedBy ? ` by ${actor(step.skippedBy)}` : '';
      const reason = step.skipReason?.trim() ? `: ${inline(step.skipReason, 1500)}` : '';
      return { icon: '⏭️', text: `skipped${by}${reason}`, plain: 'Skipped' };
    }
    default: {
      const ticked = step.checks.filter((c) => c.checked).length;
      const checks = step.checks.length > 0 ? ` (${ticked} of ${step.checks.length} checks ticked)` : '';
      return { icon: '⏹️', text: `not done${checks}`, plain: 'Not done' };
    }
  }
}
