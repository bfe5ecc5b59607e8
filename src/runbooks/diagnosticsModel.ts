import { z } from 'zod';
import { decisionProblem, STATUSES, thresholdNames, thresholdProblem } from '../domain/conditions.ts';
import { DurationSchema } from './duration.ts';

/**
 * `warning: ">= 70"`, `critical: "any unreachable"`, `"latency > 500ms"`: parsed by the safe grammar of
 * src/domain/conditions.ts at load time, so a typo is a lint error with its line, not a wrong verdict.
 */
const ThresholdSchema = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    const problem = thresholdProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `threshold "${text}": ${problem}` });
  });

/** A strict pattern an alert label must match in full before it may fill a `{name}` placeholder. */
const PlaceholderPatternSchema = z.string().superRefine((pattern, ctx) => {
  try {
    new RegExp(pattern);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${pattern}" is not a valid regular expression` });
  }
});
const CheckStatusSchema = z.enum(STATUSES);

const CHECK_FIELDS: Record<string, readonly string[] | null> = {
  prometheus_query: ['value'],
  http_check: ['value', 'status', 'latency', 'unreachable', 'reachable', 'ready', 'slow'],
  shell_command: ['value', 'exit_code', 'ok', 'failed'],
  database_query: null,
  log_search: ['value', 'count', 'files'],
};

const CheckBase = {
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case, e.g. pool_usage'),
  title: z.string().optional(),
  timeout: DurationSchema.optional(),
  thresholds: z
    .object({ warning: ThresholdSchema.optional(), critical: ThresholdSchema.optional() })
    .strict()
    .optional(),
  /** The procedure step (its number) whose message shows this check's latest result. */
  step: z.number().int().positive().optional(),
  /** The status when the query returns nothing to judge; an error unless the author says otherwise. */
  no_data: CheckStatusSchema.optional(),
};

function regexWithGroup(source: string): boolean {
  try {
    // Matching '' against `(?:source)|` always succeeds; the array holds one slot per capturing group.
    return (new RegExp(`(?:${source})|`).exec('')?.length ?? 0) > 1;
  } catch {
    return false;
  }
}

export const DiagnosticCheckSchema = z
  .discriminatedUnion('kind', [
    z.object({ ...CheckBase, kind: z.literal('prometheus_query'), query: z.string().min(1) }).strict(),
    z
      .object({
        ...CheckBase,
        kind: z.literal('http_check'),
        urls: z.array(z.string().url()).min(1),
        expect_status: z.number().int().optional(),
        max_latency_ms: z.number().int().positive().optional(),
      })
      .strict(),
    z
      .object({
        ...CheckBase,
        kind: z.literal('shell_command'),
        command: z.union([z.string().min(1), z.array(z.string()).min(1)]),
        /**
         * How the value is read from stdout: `output` (all of it is one number; the default),
         * `{ name: restarts }` (the number after "restarts:" or "restarts="), or `{ regex: '...(\\d+)' }`
         * (its first group). Never the first digits anywhere: "pod api-7f9 restarts: 3" is not -7.
         */
        value: z
          .union([
            z.literal('output'),
            z.object({ name: z.string().regex(/^[\w.-]+$/, 'a name of letters, digits, _ . or -') }).strict(),
            z
              .object({ regex: z.string().min(1) })
              .strict()
              .refine((v) => regexWithGroup(v.regex), 'a valid regular expression with one capturing group'),
          ])
          .optional(),
        /** Alert labels allowed to fill `{name}` placeholders, each with the pattern its value must match. */
        placeholders: z.record(z.string(), PlaceholderPatternSchema).optional(),
      })
      .strict(),
    z
      .object({
        ...CheckBase,
        kind: z.literal('database_query'),
        connection: z.string().min(1),
        sql: z.string().min(1),
      })
      .strict(),
    z
      .object({
        ...CheckBase,
        kind: z.literal('log_search'),
        source: z.string().min(1),
        pattern: z.string().min(1),
        window: DurationSchema.optional(),
      })
      .strict(),
  ])
  .superRefine((check, ctx) => {
    // Fields each kind measures; database columns are known only at run time (checked there).
    const fields = CHECK_FIELDS[check.kind];
    for (const [level, text] of Object.entries(check.thresholds ?? {})) {
      const unknown = text && fields ? thresholdNames(text).filter((n) => !fields.includes(n)) : [];
      if (unknown.length)
        ctx.addIssue({
          code: 'custom',
          path: ['thresholds', level],
          message: `check ${check.id}: threshold "${text}" names ${unknown.join(', ')}, which ${check.kind} does not measure; write a comparison such as ">= 90" or use ${fields?.join(', ')}`,
        });
    }
  });
export type DiagnosticCheck = z.infer<typeof DiagnosticCheckSchema>;

export const RemediationKindSchema = z.enum(['manual', 'escalate', 'automated']);

export const RemediationSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    title: z.string().min(1),
    /** manual: instructions; escalate: the escalation path; automated: runs `command` or `http`. */
    kind: RemediationKindSchema.default('manual'),
    description: z.string().optional(),
    /** An automated remediation's argv (or a string split on spaces), run without a shell. */
    command: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
    placeholders: z.record(z.string(), PlaceholderPatternSchema).optional(),
    http: z
      .object({
        url: z.string().url(),
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
        body: z.string().optional(),
      })
      .strict()
      .optional(),
    timeout: DurationSchema.optional(),
    /** escalate: policy.yml condition keys to flag with the escalation (e.g. data_breach). */
    conditions: z.array(z.string()).optional(),
    step: z.number().int().positive().optional(),
    /** Both spellings are accepted; an automated remediation needs approval unless one says false. */
    requiresApproval: z.boolean().optional(),
    requires_approval: z.boolean().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.kind === 'automated' && !r.command && !r.http)
      ctx.addIssue({
        code: 'custom',
        message: `remediation ${r.id}: automated needs a command or an http call`,
      });
    if (r.kind !== 'automated' && (r.command || r.http))
      ctx.addIssue({
        code: 'custom',
        message: `remediation ${r.id}: only kind: automated runs a command or http call; add kind: automated`,
      });
  });
export type Remediation = z.infer<typeof RemediationSchema>;

export const DecisionSchema = z
  .object({
    when: z.string().min(1),
    recommend: z.array(z.string()).min(1),
  })
  .strict();

export const DiagnosticsSchema = z
  .object({
    checks: z.array(DiagnosticCheckSchema).default([]),
    decisions: z.array(DecisionSchema).default([]),
    remediations: z.array(RemediationSchema).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const ids = d.checks.map((c) => c.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) ctx.addIssue({ code: 'custom', message: `two checks have the id ${dup}` });
    const remediations = new Set(d.remediations.map((r) => r.id));
    for (const [i, decision] of d.decisions.entries()) {
      const problem = decisionProblem(decision.when, ids);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          path: ['decisions', i, 'when'],
          message: `"${decision.when}": ${problem}`,
        });
      for (const id of decision.recommend)
        if (!remediations.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['decisions', i, 'recommend'],
            message: `no remediation "${id}" (remediations: ${[...remediations].join(', ') || 'none'})`,
          });
    }
  });
export type Diagnostics = z.infer<typeof DiagnosticsSchema>;
