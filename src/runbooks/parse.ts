import { basename, extname } from 'node:path';
import type { List, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import { normalizeAdmonitions } from './admonitions.ts';
import { expandContext, importSections, type Kind, kindOf } from './body.ts';
import { readFrontMatter } from './frontMatter.ts';
import {
  allContent,
  findAll,
  itemText,
  lineOf,
  nestedLists,
  normalizeTitle,
  parseMarkdown,
  type Section,
  sectionize,
  text,
} from './markdown.ts';
import {
  type ContextSection,
  type Layout,
  type Runbook,
  type RunbookIssue,
  SeveritySchema,
} from './model.ts';
import { unplacedNotes } from './notes.ts';
import { catalogueSections, detectPhases, importCatalogue, numberSteps } from './phases.ts';
import { contextOf, type DraftStep, type StepEnv, stepsFromSection } from './steps.ts';

export interface ParsedRunbook {
  runbook: Runbook;
  /** Problems found while parsing (front matter); the linter adds the quality checks. */
  issues: RunbookIssue[];
  /** Lines of the sections the linter reports against; 0 when the section is absent. */
  lines: { title: number; scope: number; escalation: number; owner: number; lastTested: number };
}

const META_LINE = /^\s*(category|trigger|owner|last tested|severity|linked ids)\s*:\s*(.*?)\s*$/i;
const RUN_ID = /\b(RUN-\d+)\b/;
const LINKED_ID = /\b[A-Z][A-Z0-9]{1,9}-\d+\b/g;
const REDIRECT = /\b(moved|see|deprecated|redirect(ed)?|no longer|replaced by|more information)\b/i;

/** `Key: value` lines from paragraphs and list items (`**Owner**: X` reads as "Owner: X"). */
function metaLines(nodes: RootContent[]): Map<string, { value: string; line: number }> {
  const found = new Map<string, { value: string; line: number }>();
  const consider = (raw: string, line: number) => {
    raw.split('\n').forEach((l, i) => {
      const match = META_LINE.exec(l);
      if (match?.[1] && match[2] !== undefined && !found.has(match[1].toLowerCase())) {
        found.set(match[1].toLowerCase(), { value: match[2].replace(/\s+/g, ' '), line: line + i });
      }
    });
  };
  for (const node of nodes) {
    if (node.type === 'paragraph') consider(mdastToString(node), lineOf(node));
    if (node.type === 'list') for (const item of node.children) consider(itemText(item), lineOf(item));
  }
  return found;
}

/** `Owner: X` / `Linked IDs: ...` lines: read into their fields, not repeated as prose. */
function isMetaParagraph(node: RootContent): boolean {
  return (
    node.type === 'paragraph' &&
    mdastToString(node)
      .split('\n')
      .every((l) => META_LINE.test(l))
  );
}

/** Items of the lists (nested ones too) and the paragraphs around them, in order. */
function listTexts(nodes: RootContent[]): string[] {
  const out: string[] = [];
  const visit = (list: List) => {
    for (const item of list.children) {
      const value = itemText(item);
      if (value) out.push(value);
      nestedLists(item).forEach(visit);
    }
  };
  for (const node of nodes) {
    if (node.type === 'list') visit(node);
    else if (node.type === 'paragraph' && !isMetaParagraph(node)) out.push(text(node));
  }
  return out.filter(Boolean);
}

/** Splits `- **When to escalate**: x` style items into buckets by their label; nested items join their label's bucket. */
function labelled<K extends string>(
  nodes: RootContent[],
  labels: [RegExp, K][],
  fallback: K,
): Record<K, string[]> {
  const buckets = Object.fromEntries(labels.map(([, k]) => [k, [] as string[]])) as Record<K, string[]>;
  buckets[fallback] ??= [];
  const place = (value: string, current: K): K => {
    for (const [pattern, key] of labels) {
      const match = pattern.exec(value);
      if (match) {
        const rest = value
          .slice(match[0].length)
          .replace(/^[\s:*-]+/, '')
          .trim();
        if (rest) buckets[key].push(rest);
        return key;
      }
    }
    buckets[current].push(value);
    return current;
  };
  for (const node of nodes) {
    if (node.type === 'paragraph') place(text(node), fallback);
    if (node.type !== 'list') continue;
    for (const item of node.children) {
      const key = place(itemText(item), fallback);
      for (const nested of nestedLists(item))
        for (const sub of nested.children) buckets[key].push(itemText(sub));
    }
  }
  return buckets;
}

/** Every RUN- ID the file mentions (prose, scope, Linked IDs) other than its own, first line of each. */
function runReferences(source: string, ownId: string | null): { id: string; line: number }[] {
  const seen = new Map<string, number>();
  source.split('\n').forEach((text, index) => {
    for (const match of text.matchAll(/\bRUN-\d+\b/g)) {
      if (match[0] !== ownId && !seen.has(match[0])) seen.set(match[0], index + 1);
    }
  });
  return [...seen].map(([id, line]) => ({ id, line }));
}

/** A stub's target: its first link, or the destination of a `[text](...)` the parser could not read as a link (Hugo `{{< ref "x.md" >}}`). */
function redirectTarget(urls: string[], body: string): string | null {
  if (urls[0]) return urls[0];
  const raw = /\]\(([^)]+)\)/.exec(body)?.[1];
  return raw ? (/"([^"]+)"/.exec(raw)?.[1] ?? raw) : null;
}

function fileStem(file: string): string {
  return basename(file, extname(file));
}

/** Parses one runbook file of any supported layout into the one model. Never throws on content. */
export function parseRunbook(source: string, file: string): ParsedRunbook {
  const root = parseMarkdown(source);
  normalizeAdmonitions(root, source);
  const front = readFrontMatter(root);
  const fm = front.data;
  const issues: RunbookIssue[] = front.problems.map((p) => ({
    level: 'error',
    rule: 'front-matter',
    file,
    line: p.line,
    message: p.message,
  }));

  const tree = sectionize(root);
  const h1 = tree.subsections.find((s) => s.depth === 1);
  const sections = expandContext(
    h1 ? [...h1.subsections, ...tree.subsections.filter((s) => s !== h1)] : tree.subsections,
  );
  const preamble = [...tree.content, ...(h1?.content ?? [])];

  const headingTitle = h1?.title ?? '';
  const runId = fm?.id ?? RUN_ID.exec(headingTitle)?.[1] ?? null;
  const title =
    headingTitle.replace(/^\s*RUN-\d+\s*[:\-–—]?\s*/, '').trim() ||
    (typeof fm?.title === 'string' ? fm.title : '') ||
    sections[0]?.title ||
    fileStem(file);

  const meta = metaLines(preamble);
  const byKind = (kind: Kind) => sections.filter((s) => kindOf(s.title) === kind);
  const contentOf = (kind: Kind) => byKind(kind).flatMap(allContent);

  const scope = labelled(
    contentOf('scope'),
    [
      [/^handles\b/i, 'handles'],
      [/^does\s+not\s+handle\b/i, 'excludes'],
    ],
    'handles',
  );
  const escalationSections = byKind('escalation');
  const escalation = labelled(
    escalationSections.flatMap(allContent),
    [
      [/^when( to escalate)?\b/i, 'when'],
      [/^who( to contact)?\b/i, 'who'],
      [/^what( to provide)?\b/i, 'what'],
    ],
    'when',
  );

  const isRunLayout = runId !== null || (byKind('procedure').length > 0 && meta.size > 0);
  const env: StepEnv = { withInline: !isRunLayout, context: [] };
  // A file with no sections at all (helpers, one-paragraph notes, a page that is only a list) is its own
  // single procedure; otherwise what comes before the first section is the runbook's overview.
  const single = sections.length === 0 ? (h1 ?? { ...tree, title, line: 1 }) : null;
  const intro = (single ? (h1 ? tree.content : []) : preamble).filter((n) => !isMetaParagraph(n));
  pushContext(env.context, contextOf('Overview', intro, intro[0] ? lineOf(intro[0]) : 1));
  const alertSections = single ? null : catalogueSections(tree);
  const catalogue = alertSections ? importCatalogue(tree, alertSections, env, h1) : null;
  const groups = single
    ? [
        {
          title: single.title,
          line: single.line,
          drafts: stepsFromSection({ ...single, subsections: [] }, env),
        },
      ]
    : (catalogue?.groups ?? importSections(sections, env));
  let drafts = groups.flatMap((g) => g.drafts);
  // A headingless page's title comes from front matter or its file name: no step was written under it.
  if (single && !h1) for (const d of drafts) d.heading = undefined;
  const allNodes = [...preamble, ...sections.flatMap(allContent)];
  const codeCount = findAll(allNodes, 'code').length;
  const bodyText = text(allNodes);
  const links = findAll(allNodes, 'link');
  // A page that is only a numbered list is a procedure, however short.
  const numbered = allNodes.some((n) => n.type === 'list' && n.ordered === true);
  const isStub =
    !isRunLayout &&
    !numbered &&
    drafts.every((d) => d.commands.length === 0) &&
    codeCount === 0 &&
    bodyText.length < 400 &&
    (drafts.length <= 1 || bodyText.length < 80) &&
    (REDIRECT.test(bodyText) || bodyText.length < 80);
  if (isStub) {
    // A stub's few words (where it moved, why it is empty) are context, not a step to run.
    for (const d of drafts)
      env.context.push({ title: d.title, text: d.text, line: d.line, examples: d.examples });
    for (const g of groups) g.drafts = [];
    drafts = [];
  }
  const plan = catalogue ?? detectPhases(groups) ?? { phases: [], keys: [] };
  const steps = numberSteps(groups, plan.keys);
  const phases = plan.phases.map((p) => ({
    ...p,
    steps: steps.filter((st) => st.phase === p.key).map((st) => st.number),
  }));

  const linkedLine = meta.get('linked ids')?.value ?? metaLines(allNodes).get('linked ids')?.value ?? '';
  const linkedFromSection = text(contentOf('linked'));
  const linkedIds = [
    ...new Set(
      [...linkedLine.matchAll(LINKED_ID), ...linkedFromSection.matchAll(LINKED_ID)].map((m) => m[0]),
    ),
  ];

  const severityText = fm?.severity ?? meta.get('severity')?.value.match(/\bP[0-3]\b/)?.[0];
  const severity = SeveritySchema.safeParse(severityText);

  const runbook: Runbook = {
    id: runId ?? fileStem(file),
    title,
    category: meta.get('category')?.value ?? (typeof fm?.category === 'string' ? fm.category : null),
    trigger: meta.get('trigger')?.value ?? null,
    owner: meta.get('owner')?.value ?? fm?.owner ?? null,
    lastTested: meta.get('last tested')?.value ?? null,
    severity: severity.success ? severity.data : null,
    scope: { handles: scope.handles, excludes: scope.excludes },
    prerequisites: listTexts(contentOf('prerequisites')),
    steps,
    escalation: { when: escalation.when, who: escalation.who, what: escalation.what },
    postIncident: listTexts(contentOf('postIncident')),
    linkedIds,
    source: { file, layout: catalogue ? 'catalog' : classify(isRunLayout, drafts, sections) },
    context: env.context,
    phases,
    notes: [],
    meta: {
      alerts: fm?.triggers.alerts ?? [],
      monitors: fm?.triggers.monitors ?? [],
      service: fm?.service ?? null,
      components: fm?.components ?? [],
      symptoms: fm?.symptoms ?? [],
      escalationAfter: fm?.escalation?.after ?? null,
      escalationTo: fm?.escalation?.to ?? null,
      ownerSlack: fm?.owner_slack ?? null,
      diagnostics: fm?.diagnostics ?? null,
      redirect: isStub
        ? redirectTarget(
            links.map((l) => l.url),
            bodyText,
          )
        : null,
      references: runReferences(source, runId),
    },
  };
  runbook.notes = unplacedNotes(
    allNodes.filter((n) => !isMetaParagraph(n)),
    runbook,
  );
  return {
    runbook,
    issues,
    lines: {
      title: h1?.line ?? 1,
      scope: byKind('scope')[0]?.line ?? 0,
      escalation: escalationSections[0]?.line ?? 0,
      owner: meta.get('owner')?.line ?? 0,
      lastTested: meta.get('last tested')?.line ?? 0,
    },
  };
}

function pushContext(into: ContextSection[], context: ContextSection | null): void {
  if (context) into.push(context);
}

function classify(isRunLayout: boolean, steps: DraftStep[], sections: Section[]): Layout {
  if (isRunLayout) return 'run';
  if (steps.length === 0) return 'stub';
  const titles = new Set(sections.map((s) => normalizeTitle(s.title)));
  const has = (...names: string[]) => names.some((n) => titles.has(n));
  if (
    has('meaning', 'impact') &&
    has('diagnosis', 'mitigation', 'diagnosis and mitigation', 'mitigating', 'troubleshooting', 'runbook')
  )
    return 'alert';
  if (steps.some((s) => s.origin === 'step-heading' || s.origin === 'numbered-heading')) return 'numbered';
  if (steps.filter((s) => s.origin === 'task').length * 2 >= steps.length) return 'checklist';
  if (has('symptoms', 'possible checks', 'resolution', 'what to do', 'prechecks', 'troubleshooting'))
    return 'symptoms';
  return 'guide';
}
