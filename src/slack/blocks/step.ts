import type { Button, KnownBlock, UsersSelect } from '@slack/types';
import type { CheckResult } from '../../diagnostics/types.ts';
import type { IncidentStep } from '../../domain/steps.ts';
import type { ContextSection } from '../../runbooks/model.ts';
import { optionName } from '../../services/walk.ts';
import { ACTIONS, assignBlockId } from '../ids.ts';
import { checkBlocks, checksProgress } from './checks.ts';
import { stepDiagnosticsText } from './diagnostics.ts';
import {
  actions,
  actor,
  button,
  context,
  fitParts,
  inline,
  LIMIT,
  type Message,
  type Part,
  proseTexts,
  section,
} from './kit.ts';
import { escapeMrkdwn, slackDate, truncate } from './mrkdwn.ts';
import {
  backgroundTexts,
  commandTexts,
  exampleTexts,
  jumpParts,
  optionParts,
  warningTexts,
  withoutRestatedWarnings,
} from './stepParts.ts';

export interface StepContext {
  /** 1-based position among the runbook's steps, as shown: "Step 2 of 5". */
  index: number;
  total: number;
  runbook: { id: string; title: string } | null;
  /** Latest results of the diagnostics linked to this step (`step: N`), shown under its title. */
  diagnostics?: readonly CheckResult[];
  /** The runbook's (and the step's procedure's) background: Meaning, Impact... Given for the first step. */
  background?: readonly ContextSection[];
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
      const chosen = step.options.find((o) => o.key === step.chosenOption);
      const choice = chosen ? ` · chose ${inline(optionName(chosen), 300)}` : '';
      return {
        text: `✅ ${notification} — done`,
        blocks: [compact(`✅ *${label}* · ${title} — done${by}${at}${choice}`, step.id)],
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
    context(
      [
        `*${stepLabel(ctx)}*`,
        ...(ctx.runbook ? [runbookLabel(ctx.runbook)] : []),
        // Which procedure of a multi-procedure runbook this step belongs to.
        ...(step.phaseTitle ? [`procedure: ${inline(step.phaseTitle, 300)}`] : []),
      ].join(' · '),
    ),
    section(`*${title}*`),
  ];
  if (ctx.diagnostics?.length) top.push(section(stepDiagnosticsText(ctx.diagnostics)));
  const bottom = bottomBlocks(step);
  const parts = bodyParts(step, ctx);
  const fixed = parts.filter((p) => 'block' in p).length;
  // Warnings and choices first, then checkboxes, then the text what is left (at least a few): a
  // responder can read the rest of a runbook in its file, but must see a warning and can tick only here.
  const room = LIMIT.messageBlocks - top.length - bottom.length;
  const minText = Math.min(4, room - fixed);
  const checks = checkBlocks(step, room - fixed - minText - 1);
  const hiddenChecks: KnownBlock[] =
    checks.hidden > 0 ? [context(`${checks.hidden} more checks do not fit in one message.`)] : [];
  const body = fitParts(parts, room - checks.blocks.length - hiddenChecks.length, (n) =>
    ctx.runbook
      ? `… ${n} more sections do not fit in one message; read the rest in ${inline(ctx.runbook.id, 50)}.`
      : `… ${n} more sections do not fit in one message.`,
  );
  return [...top, ...body, ...checks.blocks, ...hiddenChecks, ...bottom];
}

/** Who does this step: picking a person hands it to them (pinged, listed in their App Home). */
function assignPicker(step: IncidentStep): UsersSelect {
  return {
    type: 'users_select',
    action_id: ACTIONS.assignStep,
    placeholder: { type: 'plain_text', text: 'Assign this step to…' },
    ...(step.assigneeId ? { initial_user: step.assigneeId } : {}),
  };
}

/** Progress (or why there is nothing to tick) and the step's buttons. */
function bottomBlocks(step: IncidentStep): KnownBlock[] {
  const skip = button({ text: 'Skip step', actionId: ACTIONS.skipStep, value: String(step.id) });
  const row = (buttons: Button[]) => actions([...buttons, assignPicker(step)], assignBlockId(step.id));
  if (step.checks.length > 0) return [context(checksProgress(step)), row([skip])];
  const done = button({
    text: 'Mark done',
    actionId: ACTIONS.completeStep,
    value: String(step.id),
    style: 'primary',
  });
  return [
    context('The runbook gives this step no verification checks: mark it done once it is done.'),
    row([done, skip]),
  ];
}

/**
 * What the step says, in reading order: its warnings above everything else, the background (first
 * step), the prose, the commands, labelled examples, the alternatives and the jumps.
 */
function bodyParts(step: IncidentStep, ctx: StepContext): Part[] {
  const where = ctx.runbook ? inline(ctx.runbook.id, 50) : 'the runbook';
  const texts = (list: string[]): Part[] => list.map((text) => ({ text }));
  return [
    ...warningTexts(step.warnings).map((text) => ({ block: section(text) })),
    ...texts(backgroundTexts(ctx.background ?? [], where)),
    ...texts(proseTexts(withoutRestatedWarnings(step.body, step.warnings))),
    ...texts(step.commands.flatMap(commandTexts)),
    ...texts(step.examples.flatMap(exampleTexts)),
    ...optionParts(step),
    ...jumpParts(step),
  ];
}
