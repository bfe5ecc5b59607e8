import { z } from 'zod';
import { AlertLinkSchema, IncidentSchema } from '../../domain/incident.ts';
import {
  BotIdentitySchema,
  ExternalRefSchema,
  FollowupSchema,
  InboxItemSchema,
  JobSchema,
  PostmortemSchema,
} from '../../domain/records.ts';
import {
  CommandSchema,
  ExampleSchema,
  JumpSchema,
  OptionSchema,
  WarningSchema,
} from '../../domain/stepContent.ts';
import { IncidentCheckSchema, SkippedStepSchema, StepFieldsSchema } from '../../domain/steps.ts';
import { JsonObjectSchema, TimelineEntrySchema } from '../../domain/timeline.ts';
import { TimerSchema } from '../../domain/timer.ts';
import { Flag, jsonColumn, ProgressRowSchema } from '../rows.ts';

/**
 * The domain's nouns as both databases store them: flags as 0/1 and lists and objects as JSON text
 * (the same on SQLite and PostgreSQL, so one set of row schemas serves both).
 */
export const IncidentRow = IncidentSchema.extend({ private: Flag, drill: Flag, inFallback: Flag });
export const CheckRow = IncidentCheckSchema.extend({ checked: Flag });
export const StepRow = StepFieldsSchema.extend({
  commands: jsonColumn(z.array(CommandSchema)),
  warnings: jsonColumn(z.array(WarningSchema)),
  examples: jsonColumn(z.array(ExampleSchema)),
  options: jsonColumn(z.array(OptionSchema)),
  jumps: jsonColumn(z.array(JumpSchema)),
});
export const TimelineRow = TimelineEntrySchema.extend({ data: jsonColumn(JsonObjectSchema).nullable() });
export const TimerRow = TimerSchema.extend({ payload: jsonColumn(JsonObjectSchema).nullable() });
export const InboxRow = InboxItemSchema.extend({ headers: jsonColumn(z.record(z.string(), z.string())) });
export const JobRow = JobSchema.extend({ payload: jsonColumn(JsonObjectSchema) });
export const SkippedStepRow = SkippedStepSchema.extend({ drill: Flag });
export {
  AlertLinkSchema as AlertLinkRow,
  BotIdentitySchema as BotIdentityRow,
  ExternalRefSchema as ExternalRefRow,
  FollowupSchema as FollowupRow,
  PostmortemSchema as PostmortemRow,
};

/** App Home's progress row, shared with the synchronous store. */
export const ProgressRow = ProgressRowSchema;
