import type { KnownBlock } from '@slack/types';
import type { IncidentStep, StepSection } from '../../domain/steps.ts';
import { PROCESS_RUNBOOK_ID } from '../../runbooks/catalog.ts';
import { checkBlocks, lastTickLine } from './checks.ts';
import { context, fitSections, inline, LIMIT, type Message, proseTexts, section } from './kit.ts';

/** What a checklist is called: "Prerequisites", "Incident process (RUN-000)"... */
export function checklistHeading(step: IncidentStep): string {
  const names: Record<StepSection, string> = {
    prerequisites: 'Prerequisites',
    process: `Incident process (${step.runbookId ?? PROCESS_RUNBOOK_ID})`,
    resolution: 'Resolution verification',
    post_incident: 'Post-incident follow-up',
    step: step.title,
  };
  return names[step.section];
}

/**
 * A checklist that is not a runbook step (prerequisites, RUN-000's process, resolution
 * verification, post-incident follow-up): a heading with "n of m done", then the boxes, with the
 * same block IDs and option values as a step so one listener handles both. Nothing to skip here.
 */
export function checklistMessage(step: IncidentStep): Message {
  const done = step.checks.filter((c) => c.checked).length;
  const total = step.checks.length;
  const complete = total > 0 && done === total;
  const name = inline(checklistHeading(step), 500);
  // The process checklist counts checks, the header counts runbook steps: each says which it counts.
  const unit = step.section === 'process' ? ' process checks' : '';
  const title = `${complete ? '✅ ' : ''}*${name}* · ${done} of ${total}${unit} done`;
  const top: KnownBlock[] = [section(title)];
  if (total === 0) {
    return { text: `${name}: nothing to check`, blocks: [...top, context('Nothing to check in this list.')] };
  }
  const last = lastTickLine(step);
  const bottom: KnownBlock[] = last ? [context(`Last: ${last}`)] : [];
  const minText = 2;
  const checks = checkBlocks(step, LIMIT.messageBlocks - top.length - bottom.length - minText - 1);
  const hiddenChecks: KnownBlock[] =
    checks.hidden > 0 ? [context(`${checks.hidden} more checks do not fit in one message.`)] : [];
  const budget =
    LIMIT.messageBlocks - top.length - bottom.length - checks.blocks.length - hiddenChecks.length;
  const body = fitSections(proseTexts(step.body), budget, (n) => `… ${n} more sections do not fit.`);
  return {
    text: `${name}: ${done} of ${total}${unit} done`,
    blocks: [...top, ...body, ...checks.blocks, ...hiddenChecks, ...bottom],
  };
}
