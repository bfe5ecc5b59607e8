import type { KnownBlock } from '@slack/types';
import type { CheckResult } from '../../diagnostics/types.ts';
import type { IncidentStep } from '../../store/checklist.ts';
import { ACTIONS } from '../ids.ts';
import { checkBlocks, checksProgress } from './checks.ts';
import { stepDiagnosticsText } from './diagnostics.ts';
import {
  actions,
  actor,
  button,
  context,
  fitSections,
  inline,
  LIMIT,
  type Message,
  proseTexts,
  section,
} from './kit.ts';
import { codeBlocks, escapeMrkdwn, slackDate, truncate } from './mrkdwn.ts';

export interface StepContext {
  /** 1-based position among the runbook's steps, as shown: "Step 2 of 5". */
  index: number;
  total: number;
  runbook: { id: string; title: string } | null;
  /** Latest results of the diagnostics linked to this step (`step: N`), shown under its title. */
  diagnostics?: readonly CheckResult[];
}

/** Long enough for any sane title, short enough that a heading line stays one section. */
const TITLE_MAX = 1000;
const REASON_MAX = 1500;

function stepLabel(ctx: StepContext): string {
  return `Step ${ctx.index} of ${ctx.total}`;
}

function runbookLabel(runbook: { id: string; title: string }): string {
  return `${inline(runbook.id, 50)}: ${inline(runbook.title, 300)}`;
}

/**
 * The message for one runbook step, updated in place as it moves on: the full step with its commands
 * and checkboxes while active, a one-line summary (with Reopen) once done or skipped, and a one-line
 * "up next" while pending.
 */
export function stepMessage(step: IncidentStep, ctx: StepContext): Message {
  const label = stepLabel(ctx);
  const title = inline(step.title, TITLE_MAX);
  const notification = truncate(`${label}: ${escapeMrkdwn(step.title)}`, LIMIT.notification);
  switch (step.state) {
    case 'done': {
      const by = step.completedBy ? ` by ${actor(step.completedBy)}` : '';
      const at = step.completedAt ? ` ${slackDate(step.completedAt)}` : '';
      return {
        text: `✅ ${notification} — done`,
        blocks: [compact(`✅ *${label}* · ${title} — done${by}${at}`, step.id)],
      };
    }
    case 'skipped': {
      const by = step.skippedBy ? ` by ${actor(step.skippedBy)}` : '';
      const reason = step.skipReason?.trim() ? `: ${inline(step.skipReason, REASON_MAX)}` : '';
      return {
        text: `⏭️ ${notification} — skipped`,
        blocks: [compact(`⏭️ *${label}* · ${title} — skipped${by}${reason}`, step.id)],
      };
    }
    case 'pending':
      return { text: `${notification} — up next`, blocks: [section(`*${label}* · ${title} — up next`)] };
    case 'active':
      return { text: notification, blocks: activeBlocks(step, ctx, title) };
  }
}

function compact(text: string, stepId: number): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text },
    accessory: button({ text: 'Reopen', actionId: ACTIONS.reopenStep, value: String(stepId) }),
  };
}

function activeBlocks(step: IncidentStep, ctx: StepContext, title: string): KnownBlock[] {
  const top: KnownBlock[] = [
    context(ctx.runbook ? `*${stepLabel(ctx)}* · ${runbookLabel(ctx.runbook)}` : `*${stepLabel(ctx)}*`),
    section(`*${title}*`),
  ];
  if (ctx.diagnostics?.length) top.push(section(stepDiagnosticsText(ctx.diagnostics)));
  const skip = button({ text: 'Skip step', actionId: ACTIONS.skipStep, value: String(step.id) });
  const done = button({
    text: 'Mark done',
    actionId: ACTIONS.completeStep,
    value: String(step.id),
    style: 'primary',
  });
  const bottom: KnownBlock[] = [actions(step.checks.length === 0 ? [done, skip] : [skip])];
  if (step.checks.length === 0) {
    bottom.unshift(
      context('The runbook gives this step no verification checks: mark it done once it is done.'),
    );
  } else {
    bottom.unshift(context(checksProgress(step)));
  }
  // Checkboxes get their blocks first and the text what is left (at least a few): a responder can
  // read the rest of a runbook in its file, but can tick a box only here.
  const minText = Math.min(4, LIMIT.messageBlocks - top.length - bottom.length);
  const checks = checkBlocks(step, LIMIT.messageBlocks - top.length - bottom.length - minText - 1);
  const hiddenChecks: KnownBlock[] =
    checks.hidden > 0 ? [context(`${checks.hidden} more checks do not fit in one message.`)] : [];
  const texts = [...proseTexts(step.body), ...step.commands.flatMap((command) => codeBlocks(command.code))];
  const budget =
    LIMIT.messageBlocks - top.length - bottom.length - checks.blocks.length - hiddenChecks.length;
  const body = fitSections(texts, budget, (n) =>
    ctx.runbook
      ? `… ${n} more sections do not fit in one message; read the rest in ${inline(ctx.runbook.id, 50)}.`
      : `… ${n} more sections do not fit in one message.`,
  );
  return [...top, ...body, ...checks.blocks, ...hiddenChecks, ...bottom];
}
