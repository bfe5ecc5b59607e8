import { importSections, kindOf, type StepGroup } from './body.ts';
import { allContent, findAll, normalizeTitle, type Section, text } from './markdown.ts';
import type { ContextSection, Phase, Runbook, Step } from './model.ts';
import { contextOf, type DraftStep, type StepEnv, stepsFromSection } from './steps.ts';

/** `Alert Name: "KubeAPIDown"`, `Alert: X`, or a heading that is only a CamelCase alert name. */
const ALERT_PREFIX = /^alert(?:\s*name)?\s*[:\-–—]\s*/i;
const ALERT_NAME = /^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+$|^[A-Z][A-Za-z0-9]*_[A-Za-z0-9_]+$/;
/** `## 2. Verify graphs`, `## Step 3`: a step of one sequence, not a procedure of its own. */
const NUMBERED = /^\s*(step\s+)?\d+(\.\d+)*\b/i;
/** Stages of one procedure, not independent procedures: a document with these reads top to bottom. */
const STAGE =
  /^(diagnos|mitigat|resolution|resolv|investigat|troubleshoot|triage|check|verif|validat|confirm|prepar|pre |post |clean ?up|fix|remediat|next steps|identify|assess|monitor|communicat|escalat|summary|overview|follow|possible|what to do|what is|details|about|how it works|actions?$|steps?$|execution)/;

export function alertNameOf(title: string): string | null {
  const prefixed = ALERT_PREFIX.test(title);
  const name = title
    .replace(ALERT_PREFIX, '')
    .replace(/["'`*]/g, '')
    .trim();
  return (prefixed && /^[\w:.-]+$/.test(name)) || ALERT_NAME.test(name) ? name : null;
}

/**
 * The alert sections of an alert catalogue (one section per alert, as kubernetes-mixin's runbook.md): at
 * least three sibling headings named after alerts that make up most of their level. Null otherwise.
 */
export function catalogueSections(root: Section): Section[] | null {
  let best: Section[] = [];
  const visit = (parent: Section) => {
    const alerts = parent.subsections.filter((s) => alertNameOf(s.title));
    if (
      alerts.length >= 3 &&
      alerts.length * 2 > parent.subsections.length &&
      alerts.length > best.length &&
      alerts.filter(readsAsAlert).length * 2 >= alerts.length
    )
      best = alerts;
    parent.subsections.forEach(visit);
  };
  visit(root);
  if (best.length === 0) return null;
  // Sibling groups ("Group Name: kubernetes-apps") hold more alerts at the same depth.
  const depth = best[0]?.depth;
  const all: Section[] = [];
  const collect = (parent: Section) => {
    for (const s of parent.subsections) {
      if (s.depth === depth && alertNameOf(s.title)) all.push(s);
      else collect(s);
    }
  };
  collect(root);
  return all;
}

/** `Alert Name: X` says so; a bare CamelCase heading must be written about an alert (firing, severity, meaning). */
function readsAsAlert(section: Section): boolean {
  if (ALERT_PREFIX.test(section.title)) return true;
  const words = [...section.subsections.map((s) => s.title), text(allContent(section))].join(' ');
  return /\b(alert|alerts|fires|firing|fired|severity|meaning|impact)\b/i.test(words);
}

export interface ImportedCatalogue extends PhasePlan {
  groups: StepGroup[];
}

/**
 * One phase per alert section: its background (Meaning, Impact, the section's own bullets) is the phase's
 * context, its procedures the phase's steps. Everything outside the alert sections is the file's context.
 */
export function importCatalogue(
  root: Section,
  alerts: Section[],
  env: StepEnv,
  /** The title heading, whose own content is already the runbook's overview. */
  titleSection?: Section,
): ImportedCatalogue {
  const groups: StepGroup[] = [];
  const phases: Omit<Phase, 'steps'>[] = [];
  const visit = (section: Section) => {
    if (alerts.includes(section)) {
      const name = alertNameOf(section.title) as string;
      const phaseEnv: StepEnv = { withInline: env.withInline, context: [] };
      const own = { ...section, subsections: [] };
      const procedural = findAll(own.content, 'code').length > 0 || own.content.some(isProcedureList);
      const drafts = procedural ? stepsFromSection(own, phaseEnv) : [];
      if (!procedural) pushContext(phaseEnv.context, contextOf(section.title, section.content, section.line));
      for (const g of importSections(section.subsections, phaseEnv)) drafts.push(...g.drafts);
      groups.push({ title: section.title, line: section.line, drafts });
      phases.push({
        key: name,
        title: section.title,
        line: section.line,
        alerts: [name],
        context: phaseEnv.context,
      });
      return;
    }
    if (section.depth > 0 && section !== titleSection)
      pushContext(env.context, contextOf(section.title, section.content, section.line));
    section.subsections.forEach(visit);
  };
  visit(root);
  return { groups, phases, keys: phases.map((p) => p.key) };
}

function isProcedureList(node: Section['content'][number]): boolean {
  return (
    node.type === 'list' &&
    (node.ordered === true || node.children.some((i) => typeof i.checked === 'boolean'))
  );
}

function pushContext(into: ContextSection[], context: ContextSection | null): void {
  if (context) into.push(context);
}

function slug(title: string): string {
  return normalizeTitle(title).replace(/ /g, '-') || 'phase';
}

/**
 * Several independent procedures in one document (each its own list or `Step 1..n` from 1, none a stage of
 * the same procedure such as Diagnosis or Mitigation) become phases the responder picks between.
 */
export function detectPhases(groups: StepGroup[]): PhasePlan | null {
  const withSteps = groups.filter((g) => g.drafts.length > 0);
  const procedures = withSteps.filter(
    (g) =>
      g.drafts.length >= 2 &&
      g.drafts[0]?.authorNumber === 1 &&
      !STAGE.test(normalizeTitle(g.title)) &&
      !NUMBERED.test(g.title) &&
      kindOf(g.title) === 'steps',
  );
  if (procedures.length < 2 || procedures.length * 2 < withSteps.length) return null;
  const used = new Set<string>();
  const phases: Omit<Phase, 'steps'>[] = [];
  const keys = groups.map((g) => {
    if (g.drafts.length === 0) return null;
    let key = slug(g.title);
    while (used.has(key)) key = `${key}-2`;
    used.add(key);
    phases.push({ key, title: g.title, line: g.line, alerts: [], context: [] });
    return key;
  });
  return { phases, keys };
}

/** Phases, and for each group of steps the key of its phase (null: the group has no steps). */
export interface PhasePlan {
  phases: Omit<Phase, 'steps'>[];
  keys: (string | null)[];
}

/** Numbers steps 1..n over the whole runbook, ties each to its phase and resolves "go to step N". */
export function numberSteps(groups: StepGroup[], phaseKeys: (string | null)[]): Step[] {
  const drafts = groups.flatMap((g, gi) => g.drafts.map((d) => ({ d, phase: phaseKeys[gi] ?? null, gi })));
  const numberOf = new Map<DraftStep, number>(drafts.map(({ d }, i) => [d, i + 1]));
  const authored = drafts.some(({ d }) => d.authorNumber !== null);
  return drafts.map(({ d, phase, gi }, i) => ({
    number: i + 1,
    title: d.title,
    text: d.text,
    commands: d.commands,
    verifications: d.verifications,
    line: d.line,
    ...(d.heading ? { heading: d.heading } : {}),
    warnings: d.warnings,
    examples: d.examples,
    options: d.options,
    jumps: d.jumps.flatMap((j) => {
      const sameGroup = groups[gi]?.drafts.find((x) => x.authorNumber === j.to);
      const to = authored ? (sameGroup ? numberOf.get(sameGroup) : undefined) : j.to;
      return to && to <= drafts.length && to !== i + 1 ? [{ when: j.when, to, line: j.line }] : [];
    }),
    phase,
  }));
}

/**
 * One runbook per alert of a catalogue: its phase's steps renumbered from 1, the file's context followed
 * by the alert's own, indexed by the alert name. Other runbooks come back as they are.
 */
export function splitCatalog(runbook: Runbook): Runbook[] {
  if (runbook.source.layout !== 'catalog') return [runbook];
  return runbook.phases.flatMap((phase) =>
    phase.alerts.map((alert) => {
      const renumber = new Map(phase.steps.map((n, i) => [n, i + 1]));
      const steps = runbook.steps
        .filter((s) => renumber.has(s.number))
        .map((s) => ({
          ...s,
          number: renumber.get(s.number) as number,
          phase: null,
          jumps: s.jumps.flatMap((j) =>
            renumber.has(j.to) ? [{ ...j, to: renumber.get(j.to) as number }] : [],
          ),
        }));
      return {
        ...runbook,
        id: `${runbook.id}#${alert}`,
        title: alert,
        steps,
        context: [...runbook.context, ...phase.context],
        phases: [],
        source: { ...runbook.source, alert },
        meta: { ...runbook.meta, alerts: [alert] },
      };
    }),
  );
}
