import type { List, ListItem, Nodes, RootContent } from 'mdast';
import { warningSentences, warningsOf } from './admonitions.ts';
import { inlineCommands, useOfFence } from './commands.ts';
import { findAll, itemText, lineOf, nestedLists, normalizeTitle, type Section } from './markdown.ts';
import type { Command, ContextSection, Example, Option, Warning } from './model.ts';
import { type DraftJump, isOptionTitle, jumpsOf, optionFrom, splitOptions } from './options.ts';
import { blocksText, inlineText } from './render.ts';

/** How a step was written; the layout classifier reads it. */
export type StepOrigin = 'step-heading' | 'numbered-heading' | 'heading' | 'item' | 'task' | 'section';

export interface DraftStep {
  title: string;
  text: string;
  commands: Command[];
  verifications: string[];
  line: number;
  origin: StepOrigin;
  warnings: Warning[];
  examples: Example[];
  options: Option[];
  jumps: DraftJump[];
  /** The heading the step was written under, as written (`Step 5: Post checks`, `Resolution`). */
  heading?: string;
  /** Set on the first step of one of several numbered lists in one section, each its own procedure. */
  procedure?: { title: string; line: number };
  /** The number the author gave the step (`### Step 5`, the fifth item of `1.` list), for "go to step 5". */
  authorNumber: number | null;
}

/** What the importer needs while reading steps, and where prose that is not a step goes. */
export interface StepEnv {
  withInline: boolean;
  context: ContextSection[];
}

const STEP_HEADING = /^(?:optional\s+)?step\s+(\d+)(?:\.\d+)*\b\s*[:.)\-–—]?\s*/i;
const NUMBERED_HEADING = /^(\d+)(?:\.\d+)*[.)]\s+/;
const LABEL = /^\**\s*(commands?|verification|verify|checks?|expected( result| output)?)\s*:?\**\s*:?$/i;
const VERIFICATION_LABEL = /^(verification|verify|checks?|expected( result| output)?)$/i;
const VERIFICATION_SECTION =
  /^(verification|verify|verify resolution|post ?checks?|post (operation|change|upgrade|deploy(ment)?) (checks?|steps|verification)|post change steps|validation|validate|expected (output|result)|confirm(ation)?)$/;
/** "You should see ...", "The output should show ...": what a responder checks after the step. */
const EXPECT_SENTENCE =
  /\b(you should (now )?see|should (now )?(show|return|report|list|be back|look like)|expected (output|result) is)\b/i;
const MAX_TITLE = 150;

export function stripStepPrefix(title: string): string {
  const stripped = title.replace(STEP_HEADING, '').replace(NUMBERED_HEADING, '').trim();
  return stripped || title.trim();
}

export function isStepHeading(title: string): boolean {
  return STEP_HEADING.test(title);
}

export function isVerificationSection(title: string): boolean {
  return VERIFICATION_SECTION.test(
    normalizeTitle(title.replace(STEP_HEADING, '').replace(NUMBERED_HEADING, '')),
  );
}

function authorNumberOf(title: string): number | null {
  const m = STEP_HEADING.exec(title) ?? NUMBERED_HEADING.exec(title);
  return m ? Number(m[1]) : null;
}

/** The first sentence across soft line breaks; the rest of the paragraph stays in the text. */
function firstSentence(value: string): { title: string; rest: string } {
  const match = /^(.{8,}?[.:!?])\s+(.*)$/s.exec(value);
  const title = (match ? match[1] : value.split('\n')[0]) ?? '';
  if (title.length > MAX_TITLE) return { title: `${title.slice(0, MAX_TITLE - 1)}…`, rest: value };
  return { title: title.replace(/:$/, ''), rest: value.slice(title.length).trim() };
}

/** `Commands:`, `Verification:`, `Expected output:`: structure the importer reads, not prose. */
export function isLabelText(value: string): boolean {
  return LABEL.test(value);
}

/** A `Verification:` label or a task list: where a step's own checks begin, after its alternatives. */
function closesStep(node: RootContent): boolean {
  const label = labelOf(node);
  if (label) return VERIFICATION_LABEL.test(label);
  return node.type === 'list' && node.children.some((item) => typeof item.checked === 'boolean');
}

function labelOf(node: Nodes): string | null {
  if (node.type !== 'paragraph') return null;
  const match = LABEL.exec(inlineText(node.children));
  return match ? (match[1] ?? '').toLowerCase() : null;
}

export function emptyStep(
  title: string,
  line: number,
  origin: StepOrigin,
  authorNumber: number | null,
): DraftStep {
  return {
    title,
    text: '',
    commands: [],
    verifications: [],
    line,
    origin,
    warnings: [],
    examples: [],
    options: [],
    jumps: [],
    authorNumber,
  };
}

/**
 * Adds blocks to a step: their prose to its text, fences to its commands (or examples when written as
 * output), task items and the list after a `Verification:` label to its checks, warnings, alternatives
 * and "go to step N" jumps. `lead` is prose that comes before the blocks (the rest of a title sentence).
 */
export function absorb(step: DraftStep, nodes: RootContent[], env: StepEnv, lead = ''): void {
  const { options, rest } = step.options.length
    ? { options: [], rest: nodes }
    : splitOptions(nodes, closesStep);
  step.options.push(...options);
  const prose = rest.filter((n) => !labelOf(n));
  const text = [lead, blocksText(prose, { skipTasks: true })].filter(Boolean).join('\n\n');
  step.text = [step.text, text].filter(Boolean).join('\n\n');
  addFences(step, rest, false);
  if (env.withInline) step.commands.push(...inlineCommands(rest));
  step.verifications.push(...checksOf(rest), ...expectations(text));
  step.warnings.push(...(lead ? warningSentences(lead, step.line) : []), ...warningsOf(rest));
  step.jumps.push(...jumpsOf(text, step.line));
}

function paragraph(value: string): RootContent {
  return { type: 'paragraph', children: [{ type: 'text', value }] };
}

/** Fences in document order, each judged with the sentence right before it ("Expected output:"). */
function addFences(step: DraftStep, nodes: readonly Nodes[], inBackground: boolean): void {
  let before = '';
  for (const node of nodes) {
    if (node.type === 'code') {
      const use = useOfFence(node, before, inBackground);
      if (use.kind === 'command') step.commands.push(use.command);
      else step.examples.push(use.example);
    } else if ('children' in node && node.type !== 'paragraph') {
      addFences(step, node.children as Nodes[], inBackground);
    }
    if (node.type === 'paragraph') before = inlineText(node.children);
  }
}

/** Checks: task-list items, and items of the list that follows a `Verification:` label. */
function checksOf(nodes: RootContent[]): string[] {
  const checks: string[] = [];
  let afterLabel = false;
  for (const node of nodes) {
    const label = labelOf(node);
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

function expectations(text: string): string[] {
  return text
    .split(/(?<=[.!?:])\s+|\n/)
    .map((s) => s.replace(/^[-*>]\s+/, '').trim())
    .filter((s) => EXPECT_SENTENCE.test(s));
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
  env: StepEnv,
  authorNumber: number | null = null,
): DraftStep {
  const step = emptyStep(title, line, origin, authorNumber);
  absorb(step, nodes, env);
  return step;
}

function stepFromItem(item: ListItem, list: List, index: number, env: StepEnv): DraftStep {
  const [first, ...others] = item.children;
  const head = first?.type === 'paragraph' ? inlineText(first.children) : '';
  const { title, rest } = firstSentence(head);
  const task = item.checked !== null && item.checked !== undefined;
  const number = list.ordered ? (list.start ?? 1) + index : null;
  const step = emptyStep(title, lineOf(item), task ? 'task' : 'item', number);
  absorb(step, first?.type === 'paragraph' ? others : item.children, env, rest);
  return step;
}

/** A section's content as context: its prose, and its fences as examples (never commands). */
export function contextOf(title: string, nodes: RootContent[], line: number): ContextSection | null {
  const holder = emptyStep(title, line, 'section', null);
  addFences(holder, nodes, true);
  const text = blocksText(nodes);
  if (!text && holder.examples.length === 0) return null;
  return { title, text, line, examples: holder.examples };
}

function isStepList(node: RootContent): node is List {
  return (
    node.type === 'list' &&
    (node.ordered === true ||
      node.children.some((i) => i.checked !== null && i.checked !== undefined) ||
      node.children.some((i) => findAll(i.children, 'code').length > 0))
  );
}

/**
 * Steps from a section's own content. Ordered and task lists are step lists; a bullet list is one only when
 * its items carry code. Blocks between items belong to the item before them (lazy `1.` lists break at every
 * unindented fence); blocks before the first item are a step of their own when they carry a command, and
 * the section's context otherwise.
 */
function stepsFromContent(section: Section, env: StepEnv): DraftStep[] {
  const content = section.content;
  const firstList = content.findIndex(isStepList);
  if (firstList < 0) return [];
  const steps: DraftStep[] = [];
  const lead = content.slice(0, firstList);
  const leadIntro = lead.at(-1);
  if (findAll(lead, 'code').length) {
    const head = lead[0]?.type === 'paragraph' ? firstSentence(inlineText(lead[0].children)).title : '';
    steps.push(stepFromNodes(head || stripStepPrefix(section.title), lead, section.line, 'section', env));
  } else {
    const context = contextOf(section.title, lead, section.line);
    if (context) env.context.push(context);
  }
  const starts: DraftStep[] = [];
  let before: RootContent | undefined = leadIntro;
  for (const node of content.slice(firstList)) {
    if (isStepList(node)) {
      const items = node.children.map((item, i) => stepFromItem(item, node, i, env));
      if (section.title) for (const step of items) step.heading = section.title;
      const first = items[0];
      if (first && node.ordered && (node.start ?? 1) === 1 && isCaseIntro(before)) {
        first.procedure = { title: firstSentence(inlineText(before.children)).title, line: lineOf(before) };
        starts.push(first);
      }
      steps.push(...items);
    } else absorb(steps.at(-1) as DraftStep, [node], env);
    before = node;
  }
  // One numbered list after its own "When X:" paragraph is not a procedure of its own; two or more are.
  if (starts.length < 2) for (const step of starts) step.procedure = undefined;
  return steps;
}

/** "When the SMS apps need to be restaged:": the list after it is the procedure for that case. */
function isCaseIntro(node: RootContent | undefined): node is RootContent & { type: 'paragraph' } {
  return (
    node?.type === 'paragraph' &&
    /^(when|if|for|in case|on|with|to)\b[\s\S]*:$/i.test(inlineText(node.children))
  );
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

/** A verification section's checks and prose join the step before it. */
export function mergeVerification(last: DraftStep, section: Section, env: StepEnv): boolean {
  const nodes = flattenSection(section);
  if (findAll(nodes, 'code').length && !findAll(nodes, 'listItem').length) return false;
  const listed = findAll(nodes, 'listItem').map(itemText).filter(Boolean);
  const title = section.title;
  last.verifications.push(...listed);
  const prose = nodes.filter((n) => n.type !== 'list');
  absorb(last, [paragraph(`${title}:`), ...prose], env);
  addFences(
    last,
    nodes.filter((n) => n.type === 'list'),
    false,
  );
  if (!listed.length && !prose.length) last.verifications.push(title);
  return true;
}

/** Steps of a procedure-like section and its subsections, in document order. */
export function stepsFromSection(section: Section, env: StepEnv): DraftStep[] {
  const steps = stepsFromContent(section, env);
  if (steps.length === 0 && section.subsections.length === 0) {
    const step = stepFromNodes(
      stripStepPrefix(section.title),
      section.content,
      section.line,
      originOf(section.title, 'section'),
      env,
      authorNumberOf(section.title),
    );
    if (stripStepPrefix(section.title) !== step.title) step.heading = section.title;
    return step.text || step.commands.length || step.examples.length ? [step] : [];
  }
  if (steps.length === 0) {
    const intro = stepFromNodes(section.title, section.content, section.line, 'section', env);
    if (intro.commands.length) steps.push(intro);
    else {
      const context = contextOf(section.title, section.content, section.line);
      if (context) env.context.push(context);
    }
  }
  const subs = section.subsections;
  for (let i = 0; i < subs.length; i++) {
    const run = optionRun(subs, i);
    if (run.length >= 2) {
      steps.push(optionStep(run));
      i += run.length - 1;
    } else steps.push(...stepsFromSubsection(subs[i] as Section, steps.at(-1), env));
  }
  return steps;
}

/** Consecutive sections titled as alternatives ("Option 1", "Option 2") from index `start`. */
export function optionRun(sections: Section[], start: number): Section[] {
  let end = start;
  while (end < sections.length && isOptionTitle(sections[end]?.title ?? '')) end++;
  return sections.slice(start, end);
}

/** One step whose alternatives are the given sections: the responder runs one of them, not all. */
export function optionStep(sections: Section[]): DraftStep {
  const first = sections[0] as Section;
  const labels = sections.map((s) => s.title).join(' | ');
  const title = `Choose one: ${labels}`;
  const step = emptyStep(
    title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title,
    first.line,
    'heading',
    null,
  );
  step.options = sections.map((s, i) => optionFrom(i, s.title, flattenSection(s), s.line));
  return step;
}

function stepsFromSubsection(sub: Section, last: DraftStep | undefined, env: StepEnv): DraftStep[] {
  if (isVerificationSection(sub.title) && last && mergeVerification(last, sub, env)) return [];
  const origin = originOf(sub.title, 'heading');
  if (origin === 'heading' && hasStructure(sub)) return stepsFromSection(sub, env);
  const step = stepFromNodes(
    stripStepPrefix(sub.title),
    flattenSection(sub),
    sub.line,
    origin,
    env,
    authorNumberOf(sub.title),
  );
  if (stripStepPrefix(sub.title) !== step.title) step.heading = sub.title;
  const kept =
    step.text ||
    step.commands.length ||
    step.examples.length ||
    step.verifications.length ||
    origin !== 'heading';
  return kept ? [step] : [];
}

/** A subsection's content with its own sub-headings folded in as paragraphs (`#### Verification` becomes a label). */
export function flattenSection(section: Section): RootContent[] {
  return [
    ...section.content,
    ...section.subsections.flatMap((s): RootContent[] => [
      { type: 'paragraph', children: [{ type: 'text', value: `${s.title}:` }], position: undefined },
      ...flattenSection(s),
    ]),
  ];
}
