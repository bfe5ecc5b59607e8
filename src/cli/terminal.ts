import type { KnownBlock } from '@slack/types';

/**
 * Block Kit as plain terminal text, close to what Slack shows: for a runbook author reading a preview.
 * It renders whatever the bot's builders produce, so a block type it does not know is named, not dropped.
 */

type TextObject = { type?: string; text?: string };
type Element = {
  type?: string;
  text?: TextObject;
  options?: { text?: TextObject; description?: TextObject }[];
  elements?: unknown[];
  url?: string;
};

/** Slack mrkdwn as a terminal shows it: escapes undone, links and dates as their text, no bold stars. */
export function mrkdwnToText(text: string): string {
  return text
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<([@#!])([^|>]+)(?:\|([^>]*))?>/g, (_all, sigil: string, id: string, label?: string) =>
      label ? `${sigil === '!' ? '@' : sigil}${label}` : `${sigil === '!' ? '@' : sigil}${id}`,
    )
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/gm, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textOf(object: TextObject | undefined): string {
  if (!object?.text) return '';
  return object.type === 'mrkdwn' ? mrkdwnToText(object.text) : object.text;
}

/** Code fences become an indented block, as a terminal has no grey box. */
function withCode(text: string): string {
  return text.replace(/```\n?([\s\S]*?)\n?```/g, (_all, code: string) =>
    code
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n'),
  );
}

function elementText(element: Element): string[] {
  switch (element.type) {
    case 'button':
      return [`[ ${textOf(element.text)} ]`];
    case 'checkboxes':
      // A long check continues in its description: "head…" + "…rest" reads as one sentence here.
      return (element.options ?? []).map((o) => {
        const rest = textOf(o.description);
        const head = textOf(o.text);
        return `☐ ${rest ? `${head.replace(/…$/, '')} ${rest.replace(/^…/, '')}` : head}`;
      });
    case 'mrkdwn':
    case 'plain_text':
      return [textOf(element as TextObject)];
    default:
      return [`<${element.type ?? 'element'}>`];
  }
}

function blockText(block: KnownBlock): string[] {
  const b = block as unknown as Element & { fields?: TextObject[]; accessory?: Element; label?: TextObject };
  switch (block.type) {
    case 'section': {
      const out = b.text ? [withCode(textOf(b.text))] : [];
      for (const field of b.fields ?? []) out.push(`  ${textOf(field).replace('\n', ': ')}`);
      if (b.accessory) out.push(...elementText(b.accessory));
      return out;
    }
    case 'context':
      return [(b.elements as Element[]).flatMap(elementText).join(' · ')];
    case 'actions': {
      const elements = b.elements as Element[];
      const buttons = elements.filter((e) => e.type === 'button').flatMap(elementText);
      const rest = elements.filter((e) => e.type !== 'button').flatMap(elementText);
      return [...rest, ...(buttons.length ? [buttons.join(' ')] : [])];
    }
    case 'header':
      return [textOf(b.text).toUpperCase()];
    case 'divider':
      return ['─'.repeat(40)];
    case 'input':
      return [textOf(b.label), ...elementText((block as { element: Element }).element)];
    default:
      return [`<${block.type} block>`];
  }
}

export function blocksToText(blocks: readonly KnownBlock[]): string {
  return blocks.flatMap(blockText).join('\n');
}
