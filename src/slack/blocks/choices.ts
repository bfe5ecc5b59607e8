import type { Button, KnownBlock } from '@slack/types';
import type { JumpTaken, PhaseChoice, PhaseSummary } from '../../services/stepChoices.ts';
import { ACTIONS, nthAction } from '../ids.ts';
import { actions, actor, button, context, inline, LIMIT, type Message, section } from './kit.ts';
import { splitText, truncate } from './mrkdwn.ts';

const ACTIONS_MAX = 25;
const BUTTON_TEXT_MAX = 75;
/** Enough for "Use this when the mons have lost quorum"; the whole intro is in the runbook. */
const ABOUT_MAX = 300;

export function phaseValue(incidentId: number, key: string): string {
  return `${incidentId}:${key}`;
}

function steps(n: number): string {
  return `${n} step${n === 1 ? '' : 's'}`;
}

/**
 * The first message of a runbook with several independent procedures: which one applies? One button
 * per procedure; the steps of the others will be marked not taken, never walked top to bottom.
 * Null when there is nothing to choose.
 */
export function phasePrompt(incidentId: number, phases: readonly PhaseSummary[] | null): Message | null {
  if (!phases || phases.length < 2) return null;
  const lines = phases.map(
    (p, i) =>
      `${i + 1}. *${inline(p.title, 500)}* · ${steps(p.steps)}${p.about?.trim() ? `\n      ${inline(p.about, ABOUT_MAX)}` : ''}`,
  );
  const buttons: Button[] = phases.map((p, i) =>
    button({
      text: truncate(p.title.replace(/\s+/g, ' ').trim() || p.key, BUTTON_TEXT_MAX),
      actionId: nthAction(ACTIONS.choosePhase, i),
      value: phaseValue(incidentId, p.key),
    }),
  );
  const rows: KnownBlock[] = [];
  for (let i = 0; i < buttons.length; i += ACTIONS_MAX) rows.push(actions(buttons.slice(i, i + ACTIONS_MAX)));
  const intro = `:twisted_rightwards_arrows: *This runbook holds ${phases.length} separate procedures. Which one applies?*`;
  const blocks: KnownBlock[] = [
    section(intro),
    ...splitText(lines.join('\n')).map(section),
    context('Pick one: its steps follow one at a time, and the steps of the others are marked not taken.'),
    ...rows,
  ];
  return {
    text: truncate(`Which procedure applies? ${phases.map((p) => p.title).join(' / ')}`, LIMIT.notification),
    blocks: blocks.slice(0, LIMIT.messageBlocks),
  };
}

/** The prompt once answered: what was chosen, by whom, and what was not taken. */
export function phaseChosenMessage(choice: PhaseChoice, by: string): Message {
  const notTaken = choice.notTaken.map((p) => `~${inline(p.title, 300)}~`).join(', ');
  const text = `:ballot_box_with_check: Procedure *${inline(choice.chosen.title, 500)}* chosen by ${actor(by)} · ${steps(choice.chosen.steps)}`;
  return {
    text: truncate(`Procedure chosen: ${choice.chosen.title}`, LIMIT.notification),
    blocks: [
      section(text),
      ...splitText(`Not taken (their steps are skipped): ${notTaken}`).map((t) => context(t)),
    ],
  };
}

/** Said in the channel when a responder takes "if X, go to step N": where the walk went and what it passed. */
export function jumpTakenMessage(jump: JumpTaken, by: string): Message {
  const skipped = jump.skipped.length
    ? ` Skipped: ${jump.skipped.map((s) => `step ${s.number}`).join(', ')}.`
    : '';
  const text = `:arrow_right_hook: ${actor(by)} went from step ${jump.from.number} to step ${jump.target.number}: ${inline(jump.when, 1000)}.${skipped}`;
  return {
    text: truncate(`Went from step ${jump.from.number} to step ${jump.target.number}`, LIMIT.notification),
    blocks: [context(truncate(text, 3000))],
  };
}
