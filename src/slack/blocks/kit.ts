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
import type { Severity } from '../../runbooks/model.ts';
import type { IncidentStatus } from '../../store/incidents.ts';
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

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  declared: 'Declared',
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  closed: 'Closed',
};

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
