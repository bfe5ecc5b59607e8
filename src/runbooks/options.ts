import type { ListItem, Nodes, RootContent } from 'mdast';
import { warningsOf } from './admonitions.ts';
import { useOfFence } from './commands.ts';
import { findAll, lineOf } from './markdown.ts';
import type { Command, Option } from './model.ts';
import { blocksText, inlineText } from './render.ts';

/** "Option 1", "Alternative B", "Approach 2:", "A)": the label of one alternative of a choice. */
export const OPTION_LABEL =
  /^(?:(?:option|alternative|approach|method|solution|choice|plan|scenario)\s*#?\s*(?:\d+|[a-h])\b|[A-Ha-h]\)\s)/i;
/** A sentence that introduces alternatives: the list after it is a choice, not a sequence. */
const CHOICE_INTRO =
  /\b(either( of)?|one of the following|choose (one|between|from)|pick (one|either)|alternatively|two options|the following options)\b[^.]*:?\s*$/i;
/** "If the pool is still full, go to step 5." */
const JUMP =
  /\b((?:if|when|in case|otherwise|once|should)\b[^.;!?]*?),?\s+(?:then\s+)?(?:go|skip|proceed|jump|continue|move|return|head)\s+(?:on\s+|back\s+|directly\s+|straight\s+|ahead\s+)?to\s+step\s+#?(\d+)/gi;

export interface DraftJump {
  when: string;
  /** The step number as the author wrote it; resolved to the model's numbering once all steps are known. */
  to: number;
  line: number;
}

function key(i: number): string {
  return String.fromCharCode(97 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '');
}

function firstLine(value: string): string {
  const line = value.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

function commandsOf(nodes: Nodes[]): Command[] {
  const out: Command[] = [];
  for (const code of findAll(nodes, 'code')) {
    const use = useOfFence(code, '', false);
    if (use.kind === 'command') out.push(use.command);
  }
  return out;
}

/** One alternative from its label, its blocks, and the line it starts on. */
export function optionFrom(i: number, label: string, nodes: Nodes[], line: number, lead = ''): Option {
  return {
    key: key(i),
    label,
    text: [lead, blocksText(nodes)].filter(Boolean).join('\n\n'),
    commands: commandsOf(nodes),
    warnings: warningsOf(nodes),
    line,
  };
}

function optionFromItem(item: ListItem, i: number): Option {
  const [first, ...rest] = item.children;
  const head = first?.type === 'paragraph' ? inlineText(first.children) : '';
  const nodes = first?.type === 'paragraph' ? rest : item.children;
  return optionFrom(i, firstLine(head), nodes, lineOf(item), head.includes('\n') ? head : '');
}

function itemHead(item: ListItem): string {
  const first = item.children[0];
  return first?.type === 'paragraph' ? inlineText(first.children) : '';
}

/**
 * The alternatives among a step's blocks: a list whose items are labelled options, a list introduced by
 * "either"/"one of the following", or a run of paragraphs that each open with "Option N". Returns the
 * options (two or more) and the blocks that are common to every alternative.
 */
export function splitOptions(
  nodes: RootContent[],
  closesStep: (node: RootContent) => boolean = () => false,
): { options: Option[]; rest: RootContent[] } {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as RootContent;
    if (node.type !== 'list' || node.children.length < 2) continue;
    const before = nodes[i - 1];
    const intro = before?.type === 'paragraph' && CHOICE_INTRO.test(inlineText(before.children));
    if (intro || node.children.every((item) => OPTION_LABEL.test(itemHead(item)))) {
      return { options: node.children.map(optionFromItem), rest: nodes.filter((n) => n !== node) };
    }
  }
  return paragraphOptions(nodes, closesStep);
}

/**
 * `**Option 1**: ...` paragraphs, each followed by its own blocks until the next label. The last one ends
 * where the step's own closing begins (its `Verification:` list, its task list): those checks belong to the
 * step whichever alternative was taken, not to the last alternative.
 */
function paragraphOptions(
  nodes: RootContent[],
  closesStep: (node: RootContent) => boolean,
): { options: Option[]; rest: RootContent[] } {
  const isLabel = (n: RootContent | undefined) =>
    n?.type === 'paragraph' && OPTION_LABEL.test(inlineText(n.children));
  const starts = nodes.flatMap((n, i) => (isLabel(n) ? [i] : []));
  if (starts.length < 2) return { options: [], rest: nodes };
  const lastStart = starts.at(-1) ?? 0;
  const closing = nodes.findIndex((n, i) => i > lastStart && closesStep(n));
  const stop = closing === -1 ? nodes.length : closing;
  const options = starts.map((start, k) => {
    const end = starts[k + 1] ?? stop;
    const head = nodes[start] as RootContent & { type: 'paragraph' };
    const label = inlineText(head.children);
    return optionFrom(k, firstLine(label), nodes.slice(start + 1, end), lineOf(head), label);
  });
  return { options, rest: [...nodes.slice(0, starts[0]), ...nodes.slice(stop)] };
}

/** "If X, go to step N" sentences of a step's text, with the line of the step. */
export function jumpsOf(text: string, line: number): DraftJump[] {
  return [...text.matchAll(JUMP)].map((m) => ({
    when: (m[1] ?? '').replace(/^(if|when|in case|should)\s+/i, '').trim(),
    to: Number(m[2]),
    line,
  }));
}

export function isOptionTitle(title: string): boolean {
  return OPTION_LABEL.test(title.trim());
}
