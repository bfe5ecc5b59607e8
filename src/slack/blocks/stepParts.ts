import type { Button, KnownBlock } from '@slack/types';
import type { IncidentStep } from '../../domain/steps.ts';
import type { Command, ContextSection, Example, Option, Warning } from '../../runbooks/model.ts';
import { optionName } from '../../services/walk.ts';
import { ACTIONS, nthAction } from '../ids.ts';
import { actions, actor, button, context, inline, type Part, proseTexts, section } from './kit.ts';
import { codeBlocks, escapeMrkdwn, SECTION_TEXT_MAX, slackDate, splitText, truncate } from './mrkdwn.ts';

/** Slack's limit of elements in one actions block. */
const ACTIONS_MAX = 25;
const BUTTON_TEXT_MAX = 75;
/** Background is shown compact: at most this many sections with the first step. */
const BACKGROUND_SECTIONS = 2;

const WARNING_STYLE: Record<Warning['level'], { emoji: string; name: string }> = {
  danger: { emoji: ':no_entry:', name: 'Danger' },
  warning: { emoji: ':warning:', name: 'Warning' },
  caution: { emoji: ':warning:', name: 'Caution' },
  important: { emoji: ':exclamation:', name: 'Important' },
};

export const EXAMPLE_LABEL: Record<Example['label'], string> = {
  output: 'Expected output',
  log: 'Log sample',
  example: 'Example',
};

/**
 * Warnings as section texts, each piece marked with its level so a responder who sees only one
 * section still sees that it warns. Never cut: a long warning continues in the next section.
 */
export function warningTexts(warnings: readonly Warning[], lead?: string): string[] {
  const marked = warnings.flatMap((warning) => {
    const { emoji, name } = WARNING_STYLE[warning.level];
    const first = `${emoji} *${name}:* `;
    const more = `${emoji} *${name} (continued):* `;
    const text = escapeMrkdwn(warning.text.trim());
    if (!text) return [];
    return splitText(text, SECTION_TEXT_MAX - more.length).map((p, i) => `${i === 0 ? first : more}${p}`);
  });
  // A lead (an option's name) shares the first section, so a warning never stands apart from what it is about.
  const pieces = marked.length && lead ? [lead, ...marked] : marked;
  const packed: string[] = [];
  for (const piece of pieces) {
    const last = packed.at(-1);
    if (last !== undefined && last.length + 1 + piece.length <= SECTION_TEXT_MAX)
      packed[packed.length - 1] = `${last}\n${piece}`;
    else packed.push(piece);
  }
  return packed;
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
/** What is left of an admonition's paragraph once its text is taken out: quote marks, its kind, emphasis. */
const ADMONITION_RESIDUE =
  /[>*_!:[\]{}<>%/#.\s-]|\u26a0\ufe0f?|\b(warning|warn|caution|danger|important|attention|note|error|critical)\b/gi;

/**
 * The prose without the paragraphs that only restate a warning (`> **Warning** ...`): the warning
 * stands marked above, and saying it twice makes the prose look like a second, different warning.
 * A paragraph that says anything more is kept whole.
 */
export function withoutRestatedWarnings(text: string, warnings: readonly Warning[]): string {
  const said = warnings.map((w) => squash(w.text)).filter(Boolean);
  if (!said.length) return text;
  return text
    .split(/\n{2,}/)
    .filter((paragraph) => {
      // Quote marks at line starts would split a multi-line warning's text.
      let rest = squash(paragraph.replace(/^[ \t]*(?:>[ \t]?)+/gm, ''));
      const before = rest;
      for (const w of said) rest = rest.split(w).join(' ');
      return rest === before || rest.replace(ADMONITION_RESIDUE, '') !== '';
    })
    .join('\n\n');
}

/** `code` in fenced blocks, the first one headed by an italic label ("Expected output"). */
export function labelledCode(label: string, code: string): string[] {
  const head = `_${label}_\n`;
  const chunks = codeBlocks(code, SECTION_TEXT_MAX - head.length);
  return chunks.map((chunk, i) => (i === 0 ? `${head}${chunk}` : chunk));
}

/** A command to copy; a shell session shows its command lines, then what they print as expected output. */
export function commandTexts(command: Command): string[] {
  if (command.run === undefined) return codeBlocks(command.code);
  return [
    ...codeBlocks(command.run),
    ...(command.output?.trim() ? labelledCode(EXAMPLE_LABEL.output, command.output) : []),
  ];
}

export function exampleTexts(example: Example): string[] {
  return labelledCode(EXAMPLE_LABEL[example.label], example.code);
}

/**
 * The runbook's background (Meaning, Impact, ...) shown with the first step, compact: at most two
 * sections; what does not fit is named, with where to read it.
 */
export function backgroundTexts(sections: readonly ContextSection[], where: string): string[] {
  const lines = sections
    .filter((s) => s.text.trim() || s.examples.length)
    .map((s) => `*${inline(s.title, 200)}:* ${escapeMrkdwn(s.text.trim())}`);
  if (!lines.length) return [];
  const texts = splitText(`:information_source: ${lines.join('\n')}`);
  if (texts.length <= BACKGROUND_SECTIONS) return texts;
  const note = ` … the rest of the background is in ${where}.`;
  const kept = texts.slice(0, BACKGROUND_SECTIONS);
  kept[kept.length - 1] = `${truncate(kept.at(-1) ?? '', SECTION_TEXT_MAX - note.length)}${note}`;
  return kept;
}

/** An option's text without its first line when that line only repeats the label (shown as the name). */
function optionText(option: Option): string {
  const [first = '', ...rest] = option.text.split('\n');
  const same =
    first.replace(/[*_]/g, '').replace(/\s+/g, ' ').trim() === option.label.replace(/\s+/g, ' ').trim();
  return withoutRestatedWarnings(same ? rest.join('\n') : option.text, option.warnings);
}

function warningParts(warnings: readonly Warning[]): Part[] {
  return warningTexts(warnings).map((text) => ({ block: section(text) }));
}

function buttonRows(buttons: Button[]): KnownBlock[] {
  const rows: KnownBlock[] = [];
  for (let i = 0; i < buttons.length; i += ACTIONS_MAX) rows.push(actions(buttons.slice(i, i + ACTIONS_MAX)));
  return rows;
}

export function optionValue(stepId: number, key: string): string {
  return `${stepId}:${key}`;
}

/**
 * A step's alternatives. Before anyone picks: each option's name, its warnings and its text, then one
 * button per option. After: who picked which, the chosen option's warnings, text and commands, and the
 * others marked not taken, so nobody runs both.
 */
export function optionParts(step: IncidentStep): Part[] {
  if (step.options.length === 0) return [];
  const chosen = step.options.find((o) => o.key === step.chosenOption);
  if (!chosen) {
    const parts: Part[] = [{ block: section('*Choose one of these alternatives:*') }];
    for (const option of step.options) {
      // With warnings the name leads them in one section; without, it is text that may give way (the
      // button names the option too), so many options still fit in one message.
      const name = `*${inline(optionName(option), 500)}*`;
      const warned = warningTexts(option.warnings, name);
      parts.push(...(warned.length ? warned.map((text) => ({ block: section(text) })) : [{ text: name }]));
      parts.push(...proseTexts(optionText(option)).map((text) => ({ text })));
    }
    const buttons = step.options.map((option, i) =>
      button({
        text: truncate(`Choose ${optionName(option)}`, BUTTON_TEXT_MAX),
        actionId: nthAction(ACTIONS.chooseOption, i),
        value: optionValue(step.id, option.key),
      }),
    );
    return [...parts, ...buttonRows(buttons).map((block) => ({ block }))];
  }
  const by = step.chosenBy ? ` by ${actor(step.chosenBy)}` : '';
  const at = step.chosenAt ? ` ${slackDate(step.chosenAt)}` : '';
  const others = step.options.filter((o) => o !== chosen).map((o) => `~${inline(optionName(o), 200)}~`);
  return [
    {
      block: section(`:ballot_box_with_check: *Chosen: ${inline(optionName(chosen), 500)}*${by}${at}`),
    },
    ...warningParts(chosen.warnings),
    ...proseTexts(optionText(chosen)).map((text) => ({ text })),
    ...chosen.commands.flatMap(commandTexts).map((text) => ({ text })),
    ...(others.length ? [{ block: context(`Not taken: ${others.join(', ')}`) }] : []),
  ];
}

export function jumpValue(stepId: number, index: number): string {
  return `${stepId}:${index}`;
}

/** "If X, go to step N": each condition in words, and a button that takes the jump (never taken alone). */
export function jumpParts(step: IncidentStep): Part[] {
  if (step.jumps.length === 0) return [];
  const lines = step.jumps.map((j) => `:arrow_right: If ${inline(j.when, 400)}: go to step ${j.to}`);
  const buttons = step.jumps.map((jump, index) =>
    button({
      text: `Go to step ${jump.to}`,
      actionId: nthAction(ACTIONS.takeJump, index),
      value: jumpValue(step.id, index),
    }),
  );
  return [
    ...splitText(lines.join('\n')).map((text) => ({ block: section(text) })),
    ...buttonRows(buttons).map((block) => ({ block })),
  ];
}
