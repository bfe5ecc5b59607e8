import { z } from 'zod';

/**
 * The wording of status-page updates and executive briefs. Teams change it in policy.yml (`templates:`)
 * without touching code; `{name}` placeholders are filled in by `renderTemplate`.
 */
export const STATUS_UPDATE_FIELDS = [
  'timestamp',
  'service',
  'status',
  'impact',
  'action',
  'next_update',
] as const;
export const EXEC_BRIEF_FIELDS = [
  'timestamp',
  'situation',
  'cause',
  'action',
  'eta',
  'impact',
  'next_update',
] as const;

export const DEFAULT_TEMPLATES = {
  status_update: [
    '{timestamp} — {service} Incident',
    'Status: {status}',
    'Impact: {impact}',
    'Current action: {action}',
    'Next update: {next_update}',
  ].join('\n'),
  executive_brief: [
    'INCIDENT BRIEF — {timestamp}',
    'SITUATION: {situation}',
    'CAUSE: {cause}',
    'ACTION: {action} — ETA {eta}',
    'IMPACT: {impact}',
    'NEXT UPDATE: {next_update}',
  ].join('\n'),
} as const;

const PLACEHOLDER = /\{([a-z_]+)\}/g;

function template(fields: readonly string[]) {
  return z
    .string()
    .min(1)
    .superRefine((text, ctx) => {
      for (const match of text.matchAll(PLACEHOLDER)) {
        const name = match[1] ?? '';
        if (!fields.includes(name)) {
          ctx.addIssue({
            code: 'custom',
            message: `uses {${name}}, which is not a field; use ${fields.map((f) => `{${f}}`).join(', ')}`,
          });
        }
      }
    });
}

export const TemplatesSchema = z
  .object({
    status_update: template(STATUS_UPDATE_FIELDS).default(DEFAULT_TEMPLATES.status_update),
    executive_brief: template(EXEC_BRIEF_FIELDS).default(DEFAULT_TEMPLATES.executive_brief),
  })
  .strict();
export type Templates = z.infer<typeof TemplatesSchema>;

/** The policy's templates, or the defaults when policy.yml has no `templates:` section. */
export function templatesOf(policy: { templates?: Templates | undefined }): Templates {
  return policy.templates ?? DEFAULT_TEMPLATES;
}

export type StatusUpdateFields = Record<(typeof STATUS_UPDATE_FIELDS)[number], string>;
export type ExecBriefFields = Record<(typeof EXEC_BRIEF_FIELDS)[number], string>;

/**
 * Fills `{name}` placeholders. Values go in as they are: the caller escapes user text for mrkdwn first and
 * passes times as Slack date tokens. Trailing whitespace of the template (YAML block scalars) is dropped.
 */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.trimEnd().replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}
