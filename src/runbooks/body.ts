import { findAll, normalizeTitle, type Section } from './markdown.ts';
import {
  contextOf,
  type DraftStep,
  flattenSection,
  isVerificationSection,
  mergeVerification,
  optionRun,
  optionStep,
  type StepEnv,
  stepsFromSection,
} from './steps.ts';

export type Kind =
  | 'scope'
  | 'prerequisites'
  | 'procedure'
  | 'escalation'
  | 'postIncident'
  | 'info'
  | 'linked'
  | 'steps';

/** Section titles (normalised) and what they hold. Anything unlisted is treated as procedure. */
const SECTION_KINDS: [RegExp, Kind][] = [
  [/^scope$/, 'scope'],
  [
    /^(prerequisites?|pre requisites?|preflight( checklist)?|before you (begin|start)|requirements)$/,
    'prerequisites',
  ],
  [/^(procedure|procedures|steps|execution|instructions|runbook steps|change steps)$/, 'procedure'],
  [/^escalat/, 'escalation'],
  [/^(post incident|after the incident|follow ups?)( checklist| tasks)?$/, 'postIncident'],
  [/^(linked ids|cross references?)$/, 'linked'],
  [
    /^(meaning|impact|symptoms?|summary|overview|background|purpose|notes?|additional (notes|resources|information)|resources|references?|reference|related( alerts| runbooks)?|reason|possible causes|causes|alert description|description|table of contents|contents|toc|automation thoughts|mental model|critical|warning|context|links|dashboards|responsibilities|about|introduction|glossary|faq|rollback|rollback steps|prevention|monitoring|alerts?|see also|ownership|owners?|history|changelog)$/,
    'info',
  ],
];

export function kindOf(title: string): Kind {
  const t = normalizeTitle(title);
  for (const [pattern, kind] of SECTION_KINDS) if (pattern.test(t)) return kind;
  return 'steps';
}

/**
 * A context section (Overview, a second `# Overview` H1) can nest the real procedures as subsections:
 * its own prose stays context and its subsections are classified on their own.
 */
export function expandContext(sections: Section[]): Section[] {
  return sections.flatMap((s) =>
    kindOf(s.title) === 'info' && s.subsections.length > 0
      ? [{ ...s, subsections: [] }, ...expandContext(s.subsections)]
      : [s],
  );
}

/** The steps one top-level section produced: a candidate phase when a document holds several procedures. */
export interface StepGroup {
  title: string;
  line: number;
  drafts: DraftStep[];
}

const LABELLED_KINDS: Kind[] = ['scope', 'prerequisites', 'escalation', 'postIncident'];

/**
 * Reads the sections of a body into groups of steps and, through `env`, context. Background sections
 * become context with their fences as examples; scope, prerequisites, escalation and post-incident
 * sections are read by the caller, and only what their lists cannot hold (code, tables, quotes) is kept
 * here as context. With an explicit Procedure section, other unknown sections are context unless they
 * carry code.
 */
export function importSections(sections: Section[], env: StepEnv): StepGroup[] {
  const explicit = sections.some((s) => kindOf(s.title) === 'procedure');
  const groups: StepGroup[] = [];
  const toContext = (s: Section) => {
    const context = contextOf(s.title, flattenSection(s), s.line);
    if (context) env.context.push(context);
  };
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i] as Section;
    const kind = kindOf(s.title);
    const hasCode = findAll(flattenSection(s), 'code').length > 0;
    if (kind === 'info' || kind === 'linked' || (kind === 'steps' && explicit && !hasCode)) {
      toContext(s);
      continue;
    }
    if (LABELLED_KINDS.includes(kind)) {
      if (hasRichContent(s)) toContext(s);
      continue;
    }
    const run = kind === 'steps' ? optionRun(sections, i) : [];
    if (run.length >= 2) {
      groups.push({ title: s.title, line: s.line, drafts: [optionStep(run)] });
      i += run.length - 1;
      continue;
    }
    const own = kind === 'procedure' ? stepsFromSection({ ...s, title: '' }, env) : stepsFromSection(s, env);
    if (kind === 'steps') for (const d of own) if (!d.heading && d.title !== s.title) d.heading = s.title;
    const last = groups.flatMap((g) => g.drafts).at(-1);
    const verifying = isVerificationSection(s.title) && own.every((d) => d.commands.length === 0);
    if (verifying && last && mergeVerification(last, s, env)) continue;
    groups.push(...splitProcedures({ title: s.title, line: s.line, drafts: own }));
  }
  return groups;
}

/** A section that holds several numbered procedures ("When X:" 1..n, "When Y:" 1..n) is one group each. */
function splitProcedures(group: StepGroup): StepGroup[] {
  const out: StepGroup[] = [{ ...group, drafts: [] }];
  for (const d of group.drafts) {
    if (d.procedure) out.push({ title: d.procedure.title, line: d.procedure.line, drafts: [] });
    out.at(-1)?.drafts.push(d);
  }
  return out.filter((g, i) => i > 0 || g.drafts.length > 0);
}

function hasRichContent(section: Section): boolean {
  const nodes = flattenSection(section);
  return ['code', 'table', 'blockquote', 'html'].some((type) => findAll(nodes, type as 'code').length > 0);
}
