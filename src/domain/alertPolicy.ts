import { z } from 'zod';
import { parseDuration } from './duration.ts';

const Severity = z.enum(['P0', 'P1', 'P2', 'P3']);
type Severity = z.infer<typeof Severity>;

const Duration = z
  .string()
  .refine((s) => parseDuration(s) !== null, 'a duration such as 90s, 15m, 2h or 2d')
  .transform((s) => parseDuration(s) as number);

/**
 * The default mapping from a sender's severity word to ours. P0 ("all hands, executive brief") is never
 * reached by default: a label is a monitoring rule's guess, so only a team's policy may page P0.
 */
export const DEFAULT_SEVERITY_MAP: Record<string, Severity> = {
  critical: 'P1',
  high: 'P1',
  page: 'P1',
  p0: 'P1',
  p1: 'P1',
  error: 'P2',
  warning: 'P2',
  p2: 'P2',
  low: 'P3',
  info: 'P3',
  p3: 'P3',
  p4: 'P3',
  p5: 'P3',
};

/** policy.yml `alerts:`: how pages become incidents. Every key has a default, so older policies load. */
export const AlertPolicySchema = z
  .object({
    /** The alert label holding the severity word (Alertmanager); PagerDuty and generic send theirs. */
    severity_label: z.string().min(1).default('severity'),
    /** Severity word (case-insensitive) -> incident severity; replaces the default map when given. */
    severity_map: z
      .record(z.string(), Severity)
      .transform((map) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v])))
      .default(DEFAULT_SEVERITY_MAP),
    /** For an alert without a severity, or with a word the map does not know. */
    default_severity: Severity.default('P2'),
    /** Resolve the incident when all its alerts resolve, unless a commander has taken it. */
    auto_resolve: z.boolean().default(false),
    /**
     * Alertmanager repeats a group's notification (same alerts, same startsAt) while it fires. After a
     * responder resolved its incident: `record` notes it on the resolved incident and says so in its
     * channel; `reopen` also reopens it as investigating; `new` opens a new incident for the group.
     */
    after_resolve: z.enum(['record', 'reopen', 'new']).default('record'),
    storm: z
      .object({
        /** New alert incidents within `window` beyond which further alert groups join one storm incident. */
        threshold: z.number().int().min(1).default(20),
        window: Duration.default(10 * 60_000),
        severity: Severity.default('P1'),
      })
      .strict()
      .default({ threshold: 20, window: 10 * 60_000, severity: 'P1' }),
  })
  .strict();
export type AlertPolicy = z.infer<typeof AlertPolicySchema>;

export const DEFAULT_ALERT_POLICY: AlertPolicy = AlertPolicySchema.parse({});

/** The incident severity for an alert: the sender's word if it sent one, else the policy's label. */
export function alertSeverity(
  policy: AlertPolicy,
  input: { severity: string | null; labels: Record<string, string> },
): Severity {
  const word = input.severity ?? input.labels[policy.severity_label] ?? null;
  if (word === null) return policy.default_severity;
  return policy.severity_map[word.trim().toLowerCase()] ?? policy.default_severity;
}
