import { z } from 'zod';

// What a runbook step carries to the responder. The runbook model is built from these, and an incident's
// step keeps a copy of them, so they belong to the domain rather than to the Markdown importer.

const LineSchema = z.number().int().positive();

/**
 * A command to run. `code` is always the fence's content byte for byte (or a whole inline command line),
 * so a responder can trust it against the file. A fence written as a shell session (`$ cmd` / `# cmd`
 * prompt lines followed by pasted output) also gets `run` (the command lines to copy, prompts removed)
 * and `output` (the rest, shown as expected output, never as something to run).
 */
export const CommandSchema = z.object({
  lang: z.string().nullable(),
  code: z.string(),
  run: z.string().optional(),
  output: z.string().optional(),
});
export type Command = z.infer<typeof CommandSchema>;

/** A fence that is not to be run: expected output, a log or an example, shown labelled as such. */
export const ExampleSchema = z.object({
  lang: z.string().nullable(),
  /** Byte-exact fence content. */
  code: z.string(),
  label: z.enum(['output', 'log', 'example']),
  line: LineSchema,
});
export type Example = z.infer<typeof ExampleSchema>;

/**
 * What the author warned about next to a step: an admonition (`> **Warning**`, `> [!CAUTION]`,
 * `!!! danger`, `{{< warning >}}`) or a warning sentence ("This will induce data loss"). Shown above the
 * step's commands, never cut.
 */
export const WarningSchema = z.object({
  level: z.enum(['danger', 'warning', 'caution', 'important']),
  text: z.string(),
  line: LineSchema,
});
export type Warning = z.infer<typeof WarningSchema>;

/** One alternative of a step ("Option 1", "either ... or", "A) / B)"): the responder picks one. */
export const OptionSchema = z.object({
  /** Stable within the step: `a`, `b`, ... */
  key: z.string(),
  label: z.string(),
  text: z.string(),
  commands: z.array(CommandSchema).default([]),
  warnings: z.array(WarningSchema).default([]),
  line: LineSchema,
});
export type Option = z.infer<typeof OptionSchema>;

/** "If the pool is still full, go to step 5": offered as a jump, never followed on its own. */
export const JumpSchema = z.object({
  when: z.string(),
  to: z.number().int().positive(),
  line: LineSchema,
});
export type Jump = z.infer<typeof JumpSchema>;
