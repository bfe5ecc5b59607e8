import { z } from 'zod';
import { CommandSchema, ExampleSchema, JumpSchema, OptionSchema, WarningSchema } from './stepContent.ts';

/** 'process' is RUN-000's checklist, applied to every incident beside the scenario runbook's steps. */
export const StepSectionSchema = z.enum(['prerequisites', 'process', 'step', 'resolution', 'post_incident']);
export type StepSection = z.infer<typeof StepSectionSchema>;

export const StepStateSchema = z.enum(['pending', 'active', 'done', 'skipped']);
export type StepState = z.infer<typeof StepStateSchema>;

export const IncidentCheckSchema = z.object({
  id: z.number().int(),
  stepId: z.number().int(),
  position: z.number().int(),
  text: z.string(),
  checked: z.boolean(),
  checkedBy: z.string().nullable(),
  checkedAt: z.string().nullable(),
});
export type IncidentCheck = z.infer<typeof IncidentCheckSchema>;

/** A step of an incident's checklist without its checks (how the store keeps it). */
export const StepFieldsSchema = z.object({
  id: z.number().int(),
  incidentId: z.number().int(),
  /** Order within the incident's checklist, across sections. */
  position: z.number().int(),
  section: StepSectionSchema,
  runbookId: z.string().nullable(),
  /** The step's number in its runbook (`### Step 3`); null for prerequisites and post-incident items. */
  number: z.number().int().nullable(),
  title: z.string(),
  body: z.string(),
  commands: z.array(CommandSchema),
  /** Shown above the step's text and commands, never cut. */
  warnings: z.array(WarningSchema),
  /** Expected output, log samples and examples: labelled, never offered as commands. */
  examples: z.array(ExampleSchema),
  /** Alternatives the responder picks one of; empty for an ordinary step. */
  options: z.array(OptionSchema),
  jumps: z.array(JumpSchema),
  /** The procedure of a multi-procedure runbook this step belongs to (key and title); null for one procedure. */
  phase: z.string().nullable(),
  phaseTitle: z.string().nullable(),
  /** The key of the option picked, by whom and when; null until someone picks. */
  chosenOption: z.string().nullable(),
  chosenBy: z.string().nullable(),
  chosenAt: z.string().nullable(),
  state: StepStateSchema,
  /** The Slack message that shows this step, updated in place as checks are ticked. */
  messageTs: z.string().nullable(),
  completedBy: z.string().nullable(),
  completedAt: z.string().nullable(),
  skipReason: z.string().nullable(),
  skippedBy: z.string().nullable(),
  /** The person the step is handed to, who handed it and when; null while it is everyone's. */
  assigneeId: z.string().nullable(),
  assignedBy: z.string().nullable(),
  assignedAt: z.string().nullable(),
  updatedAt: z.string(),
});

export const IncidentStepSchema = StepFieldsSchema.extend({ checks: z.array(IncidentCheckSchema) });
export type IncidentStep = z.infer<typeof IncidentStepSchema>;

export type NewStep = Pick<IncidentStep, 'incidentId' | 'position' | 'section' | 'title'> &
  Partial<
    Pick<
      IncidentStep,
      'runbookId' | 'number' | 'body' | 'commands' | 'warnings' | 'examples' | 'options' | 'jumps'
    >
  > &
  Partial<Pick<IncidentStep, 'phase' | 'phaseTitle'>> & {
    /** Verification items, in order; their positions are 0, 1, 2, ... */
    checks?: readonly string[];
  };

export interface CheckChange {
  /** Positions to tick and to clear; a position in neither is left as it is. */
  tick?: readonly number[];
  clear?: readonly number[];
  by: string;
}

export interface CheckChangeResult {
  /** Positions that actually changed: ticking a ticked box is not a change and must not be logged twice. */
  ticked: number[];
  cleared: number[];
  step: IncidentStep;
}

/** Done and total steps of an open incident and its active step, for App Home. */
export const StepProgressSchema = z.object({
  incidentId: z.number().int(),
  done: z.number().int(),
  total: z.number().int(),
  /** The active runbook step ("3. Drain the pool"), null when none is active. */
  currentStep: z.string().nullable(),
});
export type StepProgress = z.infer<typeof StepProgressSchema>;

/** A runbook step skipped during an incident or a drill: where the runbook was unclear or wrong. */
export const SkippedStepSchema = z.object({
  runbookId: z.string(),
  incidentId: z.number().int(),
  drill: z.boolean(),
  number: z.number().int().nullable(),
  title: z.string(),
  skipReason: z.string().nullable(),
  updatedAt: z.string(),
});
export type SkippedStep = z.infer<typeof SkippedStepSchema>;
