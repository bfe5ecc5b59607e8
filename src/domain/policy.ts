import { z } from 'zod';
import { AlertPolicySchema, DEFAULT_ALERT_POLICY } from './alertPolicy.ts';
import { parseDuration } from './duration.ts';
import { TemplatesSchema } from './templates.ts';

const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export const PolicySeveritySchema = z.enum(SEVERITIES);
export type PolicySeverity = z.infer<typeof PolicySeveritySchema>;

const Duration = z
  .string()
  .refine((s) => parseDuration(s) !== null, 'a duration such as 90s, 15m, 2h or 2d')
  .transform((s) => parseDuration(s) as number);

/** `next_business_day` is the P2 escalation of the severity table; `none` disables a timer. */
const EscalateAfter = z.union([z.literal('none'), z.literal('next_business_day'), Duration]);

export const ROLES = [
  'incident_commander',
  'deployment',
  'root_cause',
  'communications',
  'executive_summary',
  'verification',
] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

const SlackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user ID such as U012AB3CD');
const SlackGroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'a Slack user-group ID such as S012AB3CD');

/** Who to reach: Slack users and user groups (groups are resolved to their members when inviting). */
export const AudienceSchema = z
  .object({
    users: z.array(SlackUserId).default([]),
    groups: z.array(SlackGroupId).default([]),
  })
  .strict();
export type Audience = z.infer<typeof AudienceSchema>;

export const SeverityPolicySchema = z
  .object({
    name: z.string(),
    meaning: z.string(),
    response_time: Duration,
    update_every: z.union([z.literal('none'), Duration]),
    executive_brief: z.boolean().default(false),
    escalate_after: EscalateAfter,
    escalate_to: z.string().nullable(),
    /** Repeat an unacknowledged escalation this often. */
    repeat_every: z.union([z.literal('none'), Duration]).default('none'),
    team: z.partialRecord(RoleSchema, AudienceSchema).default({}),
    /**
     * A meeting bridge for incidents of this severity, shown in the header: a URL that may hold
     * {incident}, {severity} and {channel} (e.g. https://meet.example.com/inc-{incident}).
     */
    bridge: z
      .string()
      .regex(/^https:\/\/\S+$/, 'must be an https:// URL, optionally with {incident}, {severity}, {channel}')
      .optional(),
  })
  .strict();
export type SeverityPolicy = z.infer<typeof SeverityPolicySchema>;

/** A runbook owner in Slack: a person (DM'd) or a user group (mentioned in the review channel). */
export const SlackOwnerId = z
  .string()
  .regex(/^[UWS][A-Z0-9]{2,}$/, 'a Slack user ID (U012AB3CD) or user-group ID (S012AB3CD)');

export const REVIEW_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const ReviewScheduleSchema = z
  .object({
    enabled: z.boolean().default(true),
    day: z.enum(REVIEW_DAYS).default('mon'),
    hour: z.number().int().min(0).max(23).default(10),
    /** Defaults to the policy's timezone. */
    timezone: z.string().optional(),
    /** Where runbooks with no Slack owner (and user-group owners) are listed; default the announce channel. */
    channel: z.string().min(1).optional(),
  })
  .strict();
export type ReviewSchedule = z.infer<typeof ReviewScheduleSchema>;

/**
 * A PagerDuty service, or the escalation policy behind it, that an escalation pages through the Events API v2.
 * The routing key is the "Integration Key" of an Events API v2 integration on that service.
 */
export const PagerDutyTargetSchema = z
  .object({
    routing_key: z.string().regex(/^[A-Za-z0-9]{20,64}$/, {
      error: 'must be the 32-character Integration Key of an Events API v2 integration on the service',
    }),
    service: z.string().min(1).optional(),
    escalation_policy: z.string().min(1).optional(),
  })
  .strict();
export type PagerDutyTarget = z.infer<typeof PagerDutyTargetSchema>;

export const ConditionSchema = z
  .object({
    label: z.string(),
    description: z.string().optional(),
    escalate_to: z.array(z.string()).min(1),
  })
  .strict();

export const PolicySchema = z
  .object({
    timezone: z.string().default('UTC'),
    business_hours: z
      .object({
        start: z.string().regex(/^\d{2}:\d{2}$/),
        end: z.string().regex(/^\d{2}:\d{2}$/),
        days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1),
      })
      .strict()
      .default({ start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }),
    review_interval: Duration.default(90 * 86_400_000),
    postmortem: z
      .object({
        due_after: Duration,
        remind_before: Duration,
        remind_every: Duration,
      })
      .strict()
      .default({ due_after: 48 * 3_600_000, remind_before: 4 * 3_600_000, remind_every: 86_400_000 }),
    /** Reminders of a due status update or brief: at most `cap` for one due update (default 4). */
    reminders: z
      .object({ cap: z.number().int().min(1).max(100) })
      .strict()
      .optional(),
    /**
     * Incident channels are archived `after` the incident is closed (default 30 days; `never` keeps them),
     * announced in the channel `notice_before` (default a day) first.
     */
    archive: z
      .object({ after: z.union([z.literal('never'), Duration]), notice_before: Duration })
      .partial()
      .strict()
      .optional(),
    channels: z
      .object({
        announce: z.string().min(1),
        status: z.string().min(1),
        executive: z.string().min(1),
        escalation: z.string().min(1),
      })
      .strict(),
    severities: z.record(PolicySeveritySchema, SeverityPolicySchema),
    /** Named escalation targets (leadership, project_lead, legal, ...); escalating pages `pagerduty` too. */
    targets: z.record(
      z.string(),
      AudienceSchema.extend({ label: z.string(), pagerduty: PagerDutyTargetSchema.optional() }),
    ),
    /** The escalation matrix's conditions that are not timers: flags a responder sets. */
    conditions: z.record(z.string(), ConditionSchema).default({}),
    /** Alerts the monitoring sends; the linter's quality gate checks each maps to a runbook. */
    monitored_alerts: z.array(z.string()).default([]),
    /** The wording of status-page updates and executive briefs; absent means the defaults (domain/templates.ts). */
    templates: TemplatesSchema.optional(),
    /**
     * Slack users who may run bot administration (`/incident runbooks reload`) without commanding an
     * incident. Absent means none (optional rather than defaulted so Policy objects built in code need not name it).
     */
    admins: z.array(SlackUserId).optional(),
    /**
     * The weekly runbook review reminder: when it runs (default Monday 10:00 in `timezone`) and where
     * runbooks with no Slack owner are listed (default the announce channel). `enabled: false` turns it off.
     */
    review: ReviewScheduleSchema.optional(),
    /** Runbook owners as written on the "Owner:" line -> a Slack user (U...) or user group (S...) ID. */
    owners: z.record(z.string(), SlackOwnerId).optional(),
    /** Pages (Alertmanager, PagerDuty, generic): severity mapping, storm control, auto-resolve. */
    alerts: AlertPolicySchema.default(DEFAULT_ALERT_POLICY),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const targets = new Set(Object.keys(policy.targets));
    for (const [sev, p] of Object.entries(policy.severities)) {
      if (p.escalate_to && !targets.has(p.escalate_to)) {
        ctx.addIssue({
          code: 'custom',
          path: ['severities', sev, 'escalate_to'],
          message: `names "${p.escalate_to}", which is not under targets:; add it there or fix the name`,
        });
      }
    }
    for (const [name, c] of Object.entries(policy.conditions)) {
      for (const t of c.escalate_to) {
        if (!targets.has(t)) {
          ctx.addIssue({
            code: 'custom',
            path: ['conditions', name, 'escalate_to'],
            message: `names "${t}", which is not under targets:; add it there or fix the name`,
          });
        }
      }
    }
  });
export type Policy = z.infer<typeof PolicySchema>;
