import type {
  ActionsBlock,
  ActionsBlockElement,
  Button,
  ConfirmationDialog,
  ContextBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { STATUS_LABEL } from '../../domain/incidentState.ts';
import type { Severity } from '../../runbooks/model.ts';
import { escapeMrkdwn, SECTION_TEXT_MAX, splitText, truncate, user } from './mrkdwn.ts';

/** What `chat.postMessage` / `chat.update` / `respond` take: `text` is the notification and fallback. */
export interface Message {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits that the builders size their output against (see test/support/blockLimits.ts). */
export const LIMIT = {
  messageBlocks: 50,
  modalBlocks: 100,
  optionText: 75,
  optionValue: 150,
  checkboxOptions: 10,
  selectOptions: 100,
  /** The top-level `text` shows in notifications; far below Slack's 40 000 so a push stays readable. */
  notification: 300,
} as const;

export const SEVERITY_EMOJI: Record<Severity, string> = {
  P0: '🔴',
  P1: '🟠',
  P2: '🟡',
  P3: '🔵',
};

export { STATUS_LABEL };

export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

export function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function context(text: string): ContextBlock {
  return { type: 'context', elements: [mrkdwn(text)] };
}

export function actions(elements: ActionsBlockElement[], blockId?: string): ActionsBlock {
  return blockId === undefined
    ? { type: 'actions', elements }
    : { type: 'actions', block_id: blockId, elements };
}

export function button(options: {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmationDialog;
}): Button {
  return {
    type: 'button',
    action_id: options.actionId,
    text: plain(options.text),
    value: options.value,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

/**
 * User text for a one-line spot (a title in a heading, a label): escaped, then cut to `max` so the
 * surrounding block stays within Slack's limits however long the text is.
 */
export function inline(text: string, max: number): string {
  return truncate(escapeMrkdwn(text.replace(/\s+/g, ' ').trim()), max);
}

/** "1 entry", "2 entries": a count with its noun, for every number a person reads. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Who did something: a mention for a Slack user, a name for the bot's own actors. */
export function actor(id: string): string {
  if (id === 'bot') return 'Incident Bot';
  return user(id);
}

/**
 * Texts (each already within a section's limit) as section blocks, at most `budget` of them. Short
 * neighbours are packed into one section only when there are too many for the budget; if even that
 * does not fit, the tail is replaced by a note saying how much is missing, never dropped silently.
 */
export function fitSections(
  texts: readonly string[],
  budget: number,
  missing: (n: number) => string,
): SectionBlock[] {
  if (budget <= 0) return [];
  if (texts.length <= budget) return texts.map(section);
  const packed: string[] = [];
  for (const text of texts) {
    const last = packed.at(-1);
    if (last !== undefined && last.length + 1 + text.length <= SECTION_TEXT_MAX) {
      packed[packed.length - 1] = `${last}\n${text}`;
    } else {
      packed.push(text);
    }
  }
  if (packed.length <= budget) return packed.map(section);
  const kept = packed.slice(0, budget - 1);
  return [...kept.map(section), section(`_${missing(packed.length - kept.length)}_`)];
}

/** Escaped prose as section texts; the caller decides how many fit. */
export function proseTexts(text: string): string[] {
  return splitText(escapeMrkdwn(text.trim()));
}

/** A block that must be shown (a warning, a button) or a text that may be packed or cut for room. */
export type Part = { block: KnownBlock } | { text: string };

/**
 * Parts in order within `budget` blocks. Fixed blocks are always kept (warnings, choices: what a
 * responder must see or click); texts fill what is left, packed with their neighbours when there are
 * too many, and if even that does not fit the later ones give way to one note saying how much is
 * missing, placed where the first missing text was.
 */
export function fitParts(
  parts: readonly Part[],
  budget: number,
  missing: (n: number) => string,
): KnownBlock[] {
  const fixed = parts.filter((p) => 'block' in p).length;
  const room = budget - fixed;
  const packed = packTexts(parts, parts.length - fixed > room);
  const textCount = packed.filter((p) => 'text' in p).length;
  if (textCount <= room) return packed.map((p) => ('block' in p ? p.block : section(p.text)));
  const keep = Math.max(0, room - 1);
  const out: KnownBlock[] = [];
  let seen = 0;
  for (const part of packed) {
    if ('block' in part) {
      out.push(part.block);
      continue;
    }
    seen += 1;
    if (seen <= keep) out.push(section(part.text));
    else if (seen === keep + 1 && room > 0) out.push(section(`_${missing(textCount - keep)}_`));
  }
  return out;
}

/** Neighbouring texts (not across a fixed block) joined into sections of at most Slack's limit. */
function packTexts(parts: readonly Part[], pack: boolean): Part[] {
  if (!pack) return [...parts];
  const out: Part[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (
      'text' in part &&
      last &&
      'text' in last &&
      last.text.length + 1 + part.text.length <= SECTION_TEXT_MAX
    )
      out[out.length - 1] = { text: `${last.text}\n${part.text}` };
    else out.push(part);
  }
  return out;
}
