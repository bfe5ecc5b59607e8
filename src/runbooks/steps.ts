import type { Code, InlineCode, ListItem, Nodes, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import { findAll, itemText, lineOf, nestedLists, normalizeTitle, type Section, text } from './markdown.ts';
import type { Command } from './model.ts';

/** How a step was written; the layout classifier reads it. */
export type StepOrigin = 'step-heading' | 'numbered-heading' | 'heading' | 'item' | 'task' | 'section';

export interface DraftStep {
  title: string;
  text: string;
  commands: Command[];
  verifications: string[];
  line: number;
  origin: StepOrigin;
}

const STEP_HEADING = /^(?:optional\s+)?step\s+\d+(?:\.\d+)*\b\s*[:.)\-–—]?\s*/i;
const NUMBERED_HEADING = /^\d+(?:\.\d+)*[.)]\s+/;
const LABEL = /^\**\s*(commands?|verification|verify|checks?|expected( result| output)?)\s*:?\**\s*:?$/i;
const VERIFICATION_LABEL = /^(verification|verify|checks?|expected( result| output)?)$/i;
const VERIFICATION_SECTION =
  /^(verification|verify|verify resolution|post ?checks?|post change steps|validation)$/;
const MAX_TITLE = 150;

/**
 * Inline code counts as a command only when it starts with a known CLI and has an argument: layouts that
 * never fence their commands (`run: \`systemctl start patroni\``) still get runnable steps, while names
 * such as `virt-controller` or PromQL fragments stay prose.
 */
const INLINE_COMMAND =
  /^(?:sudo\s+|\$\s+)?(?:kubectl|oc|curl|wget|systemctl|journalctl|gitlab-[\w-]+|knife|psql|redis-cli|dig|helm|terraform|tf|git|docker|aws|gcloud|gsutil|cf|bosh|pip3?|ssh|scp|cat|tail|grep|df|du|ps|kill|service|chef-client|consul|vault|nomad|openssl|nc|ping|find|rm|mv|cp|chmod|chown|mount|lsblk|virtctl|ceph|rados|rbd|etcdctl|crictl|podman|patronictl|gitlab-patronictl|pg_dump|pg_restore|redis-server|sv)\s+\S/;

export function stripStepPrefix(title: string): string {
  const stripped = title.replace(STEP_HEADING, '').replace(NUMBERED_HEADING, '').trim();
  return stripped || title.trim();
}

export function isStepHeading(title: string): boolean {
  return STEP_HEADING.test(title);
}

export function isVerificationSection(title: string): boolean {
  return VERIFICATION_SECTION.test(normalizeTitle(title));
}

function codeCommand(code: Code): Command {
  return { lang: code.lang ?? null, code: code.value };
}

function inlineCommands(nodes: Nodes[]): Command[] {
  return findAll(nodes, 'inlineCode')
    .map((c: InlineCode) => c.value.replace(/\s+/g, ' ').trim())
    .filter((v) => INLINE_COMMAND.test(v))
    .map((code) => ({ lang: null, code }));
}

function firstSentence(value: string): { title: string; rest: string } {
  const firstLine = value.split('\n')[0] ?? '';
  const match = /^(.{8,}?[.:!?])\s+(.*)$/s.exec(firstLine);
  const title = (match ? match[1] : firstLine) ?? '';
  const rest = value.slice(title.length).trim();
  return title.length > MAX_TITLE
    ? { title: `${title.slice(0, MAX_TITLE - 1)}…`, rest: value }
    : { title: title.replace(/:$/, ''), rest };
}

function isLabel(node: RootContent): string | null {
  if (node.type !== 'paragraph') return null;
  const value = text(node);
  const match = LABEL.exec(value);
  return match ? (match[1] ?? '').toLowerCase() : null;
}

/** Prose of a step: paragraphs and bullet lists as plain lines, without code or the Commands:/Verification: labels. */
function prose(nodes: RootContent[]): string {
  const parts: string[] = [];
  for (const node of nodes) {
    if (node.type === 'code' || node.type === 'html' || node.type === 'yaml' || isLabel(node)) continue;
    if (node.type === 'list') {
      parts.push(
        node.children
          .filter((item) => item.checked === null || item.checked === undefined)
          .map((item) => `- ${itemText(item)}`)
          .join('\n'),
      );
    } else if (node.type === 'paragraph') {
      parts.push(
        mdastToString(node)
          .replace(/[ \t]+/g, ' ')
          .trim(),
      );
    } else {
      parts.push(text(node));
    }
  }
  return parts.filter(Boolean).join('\n\n');
}

/** Checks: task-list items, and items of the list that follows a `Verification:` label. */
function verifications(nodes: RootContent[]): string[] {
  const checks: string[] = [];
  let afterLabel = false;
  for (const node of nodes) {
    const label = isLabel(node);
    if (label) {
      afterLabel = VERIFICATION_LABEL.test(label);
      continue;
    }
    if (node.type === 'list') {
      for (const item of flattenItems(node.children)) {
        if (afterLabel || (item.checked !== null && item.checked !== undefined)) checks.push(itemText(item));
      }
    }
    if (node.type !== 'list') afterLabel = afterLabel && node.type === 'code';
  }
  return checks.filter(Boolean);
}

function flattenItems(items: ListItem[]): ListItem[] {
  return items.flatMap((item) => [item, ...flattenItems(nestedLists(item).flatMap((l) => l.children))]);
}

/** One step from a whole block of content (a `### Step N` section, or a section with no list structure). */
export function stepFromNodes(
  title: string,
  nodes: RootContent[],
  line: number,
  origin: StepOrigin,
  withInline: boolean,
): DraftStep {
  const commands = findAll(nodes, 'code').map(codeCommand);
  if (withInline) commands.push(...inlineCommands(nodes));
  return {
    title,
    text: prose(nodes),
    commands,
    verifications: verifications(nodes),
    line,
    origin,
  };
}

function stepFromItem(item: ListItem, withInline: boolean): DraftStep {
  const own = item.children.filter((c) => c.type !== 'list');
  const { title, rest } = firstSentence(
    mdastToString({ type: 'root', children: own.filter((c) => c.type !== 'code') }),
  );
  const commands = findAll(item.children, 'code').map(codeCommand);
  if (withInline) commands.push(...inlineCommands(item.children));
  const nested = nestedLists(item).flatMap((l) => l.children);
  const nestedTasks = flattenItems(nested).filter((i) => i.checked !== null && i.checked !== undefined);
  const nestedNotes = nested.filter((i) => i.checked === null || i.checked === undefined).map(itemText);
  return {
    title: title.replace(/\s+/g, ' ').trim(),
    text: [rest.replace(/[ \t]+/g, ' ').trim(), ...nestedNotes.map((n) => `- ${n}`)]
      .filter(Boolean)
      .join('\n'),
    commands,
    verifications: nestedTasks.map(itemText).filter(Boolean),
    line: lineOf(item),
    origin: item.checked === null || item.checked === undefined ? 'item' : 'task',
  };
}

/**
 * Steps from a section's own content. Ordered and task lists are step lists; a bullet list is one only when
 * its items carry code. Code or prose between items belongs to the item before it (lazy `1.` lists break
 * the list at every unindented fence).
 */
function stepsFromContent(content: RootContent[], withInline: boolean): DraftStep[] {
  const isStepList = (node: RootContent): boolean =>
    node.type === 'list' &&
    (node.ordered === true ||
      node.children.some((i) => i.checked !== null && i.checked !== undefined) ||
      node.children.some((i) => findAll(i.children, 'code').length > 0));
  if (!content.some(isStepList)) return [];
  const steps: DraftStep[] = [];
  for (const node of content) {
    if (node.type === 'list' && isStepList(node)) {
      steps.push(...node.children.map((item) => stepFromItem(item, withInline)));
      continue;
    }
    const last = steps.at(-1);
    if (!last) continue;
    if (node.type === 'code') last.commands.push(codeCommand(node));
    else {
      const extra = prose([node]);
      if (extra) last.text = [last.text, extra].filter(Boolean).join('\n\n');
    }
  }
  return steps;
}

function hasStructure(section: Section): boolean {
  return (
    section.subsections.length > 0 ||
    section.content.some(
      (n) =>
        n.type === 'list' &&
        (n.ordered === true || n.children.some((i) => i.checked !== null && i.checked !== undefined)),
    )
  );
}

function originOf(title: string, otherwise: StepOrigin): StepOrigin {
  if (isStepHeading(title)) return 'step-heading';
  return NUMBERED_HEADING.test(title) ? 'numbered-heading' : otherwise;
}

/** Steps of a procedure-like section and its subsections, in document order. */
export function stepsFromSection(section: Section, withInline: boolean): DraftStep[] {
  const steps = stepsFromContent(section.content, withInline);
  if (steps.length === 0 && section.subsections.length === 0) {
    const step = stepFromNodes(
      stripStepPrefix(section.title),
      section.content,
      section.line,
      originOf(section.title, 'section'),
      withInline,
    );
    return step.text || step.commands.length ? [step] : [];
  }
  if (steps.length === 0) {
    // Intro prose before subsections is context, unless it carries commands.
    const intro = stepFromNodes(section.title, section.content, section.line, 'section', withInline);
    if (intro.commands.length) steps.push(intro);
  }
  for (const sub of section.subsections) {
    const last = steps.at(-1);
    if (isVerificationSection(sub.title) && last) {
      const listed = findAll(sub.content, 'listItem').map(itemText).filter(Boolean);
      if (listed.length && findAll(sub.content, 'code').length === 0) {
        last.verifications.push(...listed);
        continue;
      }
    }
    const origin = originOf(sub.title, 'heading');
    if (origin === 'heading' && hasStructure(sub)) {
      steps.push(...stepsFromSection(sub, withInline));
      continue;
    }
    const nodes = flattenSection(sub);
    const step = stepFromNodes(stripStepPrefix(sub.title), nodes, sub.line, origin, withInline);
    if (step.text || step.commands.length || step.verifications.length || origin !== 'heading')
      steps.push(step);
  }
  return steps;
}

/** A subsection's content with its own sub-headings folded in as paragraphs (`#### Verification` becomes a label). */
function flattenSection(section: Section): RootContent[] {
  return [
    ...section.content,
    ...section.subsections.flatMap((s): RootContent[] => [
      { type: 'paragraph', children: [{ type: 'text', value: `${s.title}:` }], position: undefined },
      ...flattenSection(s),
    ]),
  ];
}
