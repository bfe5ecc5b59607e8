import type { ActionsBlock, Checkboxes, PlainTextOption } from '@slack/types';
import type { IncidentCheck, IncidentStep } from '../../domain/steps.ts';
import { ACTIONS, checksBlockId } from '../ids.ts';
import { actions, actor, inline, LIMIT, plain } from './kit.ts';
import { slackDate, splitLabel, truncate } from './mrkdwn.ts';

/**
 * A check as a checkbox option. Its value is the check's position, which is what the listener diffs
 * against the store. A text over 75 characters continues in the option's description, so up to about
 * 150 characters of it stay readable next to the box.
 */
export function checkOption(check: IncidentCheck): PlainTextOption {
  // plain_text is shown literally and cannot mention anyone: escaping would print `&gt;` to the responder.
  const full = check.text.replace(/\s+/g, ' ').trim() || `Check ${check.position + 1}`;
  const { head, rest } = splitLabel(full, LIMIT.optionText);
  const option: PlainTextOption = { text: plain(head), value: String(check.position) };
  if (rest) option.description = plain(truncate(`…${rest}`, LIMIT.optionText));
  return option;
}

/**
 * The step's checks as checkbox elements of at most 10 options (Slack's limit), one actions block
 * each, with block_id `checks:<stepId>:<chunk>`. At most `maxBlocks` blocks; `hidden` counts the
 * checks that did not fit, so the caller can say so.
 */
export function checkBlocks(
  step: IncidentStep,
  maxBlocks: number,
): { blocks: ActionsBlock[]; hidden: number } {
  const blocks: ActionsBlock[] = [];
  const checks = step.checks;
  for (let start = 0; start < checks.length && blocks.length < maxBlocks; start += LIMIT.checkboxOptions) {
    const chunk = checks.slice(start, start + LIMIT.checkboxOptions);
    const options = chunk.map(checkOption);
    const ticked = options.filter((_, i) => chunk[i]?.checked);
    const element: Checkboxes = {
      type: 'checkboxes',
      action_id: ACTIONS.toggleChecks,
      options,
      // Slack rejects an empty initial_options, so the field is there only when something is ticked.
      ...(ticked.length > 0 ? { initial_options: ticked } : {}),
    };
    blocks.push(actions([element], checksBlockId(step.id, blocks.length)));
  }
  const shown = Math.min(checks.length, blocks.length * LIMIT.checkboxOptions);
  return { blocks, hidden: checks.length - shown };
}

/** "1 of 2 checked · last: <@U> ticked “…” <date>", the line under a step's boxes. */
export function checksProgress(step: IncidentStep): string {
  const done = step.checks.filter((c) => c.checked).length;
  const counts = `${done} of ${step.checks.length} checked`;
  const last = lastTickLine(step);
  return last ? `${counts} · last: ${last}` : counts;
}

/** "<@U> ticked “…” <date>" for the most recent tick, or null while nothing is ticked. */
export function lastTickLine(step: IncidentStep): string | null {
  const last = lastTicked(step.checks);
  if (!last) return null;
  const who = last.checkedBy ? actor(last.checkedBy) : 'someone';
  const when = last.checkedAt ? ` ${slackDate(last.checkedAt)}` : '';
  return `${who} ticked “${inline(last.text, 200)}”${when}`;
}

function lastTicked(checks: readonly IncidentCheck[]): IncidentCheck | undefined {
  let last: IncidentCheck | undefined;
  for (const check of checks) {
    if (!check.checked) continue;
    if (!last || (check.checkedAt ?? '') >= (last.checkedAt ?? '')) last = check;
  }
  return last;
}
