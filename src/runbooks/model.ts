import { z } from 'zod';
import { SeveritySchema } from '../domain/severity.ts';
import {
  CommandSchema,
  ExampleSchema,
  JumpSchema,
  OptionSchema,
  WarningSchema,
} from '../domain/stepContent.ts';
import { DiagnosticsSchema } from './diagnosticsModel.ts';
import { DurationSchema } from './duration.ts';

// Severity and a step's content are domain nouns; the runbook model is built from them.
export * from '../domain/severity.ts';
export * from '../domain/stepContent.ts';
// The diagnostics part of front matter lives in its own file; its schemas are re-exported from here.
export * from './diagnosticsModel.ts';
export { DURATION_PATTERN, DurationSchema } from './duration.ts';

/** Optional YAML front matter: only what a machine needs. Unknown keys are kept (other tools' front matter). */
export const FrontMatterSchema = z
  .object({
    id: z
      .string()
      .regex(/^RUN-\d+$/)
      .optional(),
    title: z.string().optional(),
    severity: SeveritySchema.optional(),
    service: z.string().optional(),
    owner: z.string().optional(),
    /** The owner in Slack, for review reminders: a user (U...) or user-group (S...) ID. */
    owner_slack: z
      .string()
      .regex(/^[UWS][A-Z0-9]{2,}$/, 'a Slack user ID (U012AB3CD) or user-group ID (S012AB3CD)')
      .optional(),
    category: z.string().optional(),
    components: z.array(z.string()).default([]),
    symptoms: z.array(z.string()).default([]),
    triggers: z
      .object({
        alerts: z.array(z.string()).default([]),
        monitors: z.array(z.string()).default([]),
      })
      .strict()
      .default({ alerts: [], monitors: [] }),
    escalation: z.object({ after: DurationSchema.optional(), to: z.string().optional() }).strict().optional(),
    diagnostics: DiagnosticsSchema.optional(),
  })
  .passthrough();
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

export const LayoutSchema = z.enum([
  'run', // the RUN- layout of DESIGN.md
  'alert', // L1 Meaning / Impact / Diagnosis / Mitigation
  'symptoms', // L2 Symptoms / Possible checks / Resolution, and the 004 layout
  'numbered', // L3 numbered step headings
  'checklist', // L4 checkbox change procedure
  'guide', // L5-L7 topical guides, helpers, compendiums
  'stub', // L8 redirects, deprecated, empty
  'catalog', // one section per alert (kubernetes-mixin runbook.md): one runbook per alert, see phases
]);
export type Layout = z.infer<typeof LayoutSchema>;

const LineSchema = z.number().int().positive();

export const StepSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  /** The step's whole prose: paragraphs separated by a blank line, nested lists, tables row by row, quotes. */
  text: z.string(),
  commands: z.array(CommandSchema),
  verifications: z.array(z.string()),
  /** 1-based line of the step's heading or first item in the source file, for lint messages. */
  line: LineSchema,
  /** The heading the step was written under (`Resolution` for an item of that list), when it says more than the title. */
  heading: z.string().optional(),
  warnings: z.array(WarningSchema).default([]),
  examples: z.array(ExampleSchema).default([]),
  /** Alternatives: empty for an ordinary step; two or more when the responder must choose one. */
  options: z.array(OptionSchema).default([]),
  jumps: z.array(JumpSchema).default([]),
  /** The phase (see Runbook.phases) this step belongs to; null when the runbook has one procedure. */
  phase: z.string().nullable().default(null),
});
export type Step = z.infer<typeof StepSchema>;

/** Background the responder reads before the steps: Meaning, Impact, Summary, Symptoms, Notes, preamble. */
export const ContextSectionSchema = z.object({
  title: z.string(),
  text: z.string(),
  line: LineSchema,
  /** Fences in background sections (samples under Symptoms): examples, never commands. */
  examples: z.array(ExampleSchema).default([]),
});
export type ContextSection = z.infer<typeof ContextSectionSchema>;

/**
 * One of several independent procedures in one document (rook disaster recovery: "Restore mon quorum",
 * "Restore CRDs"), or one alert's section of an alert catalogue. The responder picks the phase, or the
 * alert that paged selects it; the other phases' steps are not taken.
 */
export const PhaseSchema = z.object({
  key: z.string(),
  title: z.string(),
  line: LineSchema,
  /** Alert names that select this phase (a catalogue section's alert). */
  alerts: z.array(z.string()).default([]),
  /** Numbers of the steps (Runbook.steps) in this phase, in order. */
  steps: z.array(z.number().int().positive()),
  /** Background of this phase alone (a catalogue alert's Meaning / Impact). */
  context: z.array(ContextSectionSchema).default([]),
});
export type Phase = z.infer<typeof PhaseSchema>;

/** Content the importer could not place anywhere else: kept, shown, and reported by lint with its line. */
export const NoteSchema = z.object({ text: z.string(), line: LineSchema });
export type Note = z.infer<typeof NoteSchema>;

export const RunbookSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string().nullable(),
  trigger: z.string().nullable(),
  owner: z.string().nullable(),
  lastTested: z.string().nullable(),
  severity: SeveritySchema.nullable(),
  scope: z.object({ handles: z.array(z.string()), excludes: z.array(z.string()) }),
  prerequisites: z.array(z.string()),
  steps: z.array(StepSchema),
  escalation: z.object({
    when: z.array(z.string()),
    who: z.array(z.string()),
    what: z.array(z.string()),
  }),
  postIncident: z.array(z.string()),
  linkedIds: z.array(z.string()),
  source: z.object({
    file: z.string(),
    layout: LayoutSchema,
    /** For a runbook split out of an alert catalogue: the alert whose section it is. */
    alert: z.string().optional(),
  }),
  context: z.array(ContextSectionSchema).default([]),
  /** Empty for a runbook with one procedure; see PhaseSchema. */
  phases: z.array(PhaseSchema).default([]),
  notes: z.array(NoteSchema).default([]),
  /** Machine-only data from front matter; not part of the `show --json` contract but kept for services. */
  meta: z.object({
    alerts: z.array(z.string()),
    monitors: z.array(z.string()),
    service: z.string().nullable(),
    components: z.array(z.string()),
    symptoms: z.array(z.string()),
    escalationAfter: z.string().nullable(),
    escalationTo: z.string().nullable(),
    /** front matter `owner_slack`: who the weekly review reminds (else policy `owners:`). */
    ownerSlack: z.string().nullable().optional(),
    diagnostics: DiagnosticsSchema.nullable(),
    /** A stub's redirect target, when the file only points elsewhere. */
    redirect: z.string().nullable(),
    /** Other runbooks this one points to ("see RUN-010"), with the line, for dangling-reference checks. */
    references: z.array(z.object({ id: z.string(), line: z.number().int().positive() })),
  }),
});
export type Runbook = z.infer<typeof RunbookSchema>;

export const IssueLevelSchema = z.enum(['error', 'warning']);
export const RunbookIssueSchema = z.object({
  level: IssueLevelSchema,
  rule: z.string(),
  file: z.string(),
  line: z.number().int().nonnegative(),
  message: z.string(),
});
export type RunbookIssue = z.infer<typeof RunbookIssueSchema>;
