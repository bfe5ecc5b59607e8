import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { delayFromText } from './escalationDelay.ts';
import type { Policy, PolicySeverity } from './policy.ts';
import type { TimerKind } from './timer.ts';

export type { TimerKind } from './timer.ts';

export { delayFromText };

/** The kinds of timer the severity policy and the runbook plan; the scheduler dispatches on them. */
export const TIMER_KIND = {
  /** No commander claimed the incident within the severity's response_time: page the team again. */
  unclaimed: 'unclaimed',
  /** Unresolved after the severity's escalate_after: escalate to its escalate_to. */
  escalate: 'escalate',
  /** The runbook's own escalation: front matter `escalation.after`, or "after N minutes" in its Escalation section. */
  runbookEscalate: 'runbook_escalate',
  /** A status-page update is due (update_every); repeats while it is overdue. */
  updateDue: 'update_due',
  /** An executive brief is due (severities with executive_brief); repeats while it is overdue. */
  execBriefDue: 'exec_brief_due',
  /** An escalation nobody has acknowledged yet, repeated every repeat_every. Not planned: a fired escalation schedules it. */
  escalateRepeat: 'escalate_repeat',
} as const satisfies Record<string, TimerKind>;

/** The kinds `planTimers` owns: re-planning cancels and replaces exactly these. */
export const PLANNED_KINDS = [
  TIMER_KIND.unclaimed,
  TIMER_KIND.escalate,
  TIMER_KIND.runbookEscalate,
  TIMER_KIND.updateDue,
  TIMER_KIND.execBriefDue,
] as const;

/**
 * What every timer carries. `since` is the moment the plan is about (the escalation or update due time);
 * a repeated reminder keeps the `since` of the first one, so it can say how overdue the update is, and so
 * re-planning recognises the chain as the one it would plan anyway.
 */
export const TimerPayloadSchema = z.object({
  since: z.string(),
  /** A key of policy.yml `targets`, or null when the runbook names someone the policy does not know. */
  target: z.string().nullable().default(null),
  /** The runbook's "who to contact" text, for runbook escalations. */
  who: z.string().nullable().default(null),
  /** Why: "P1 unresolved after 2 h", "RUN-001: escalate after 30 min". */
  reason: z.string().default(''),
  /** 1 for the first firing, 2, 3, ... for repeats. */
  round: z.number().int().positive().default(1),
});
export type TimerPayload = z.infer<typeof TimerPayloadSchema>;

export interface PlannedTimer {
  kind: TimerKind;
  dueAt: Date;
  payload: TimerPayload;
}

export interface PlanIncident {
  severity: PolicySeverity;
  status: string;
  declaredAt: string;
  commanderId: string | null;
}

export interface PlanRunbook {
  id: string;
  meta: { escalationAfter: string | null; escalationTo: string | null };
  escalation: { when: readonly string[]; who: readonly string[] };
}

/** The last status update and executive brief, from the timeline: the cadence counts from them. */
export interface PlanHistory {
  lastUpdate: { at: string; nextUpdateAt: string | null } | null;
  lastBrief: { at: string; nextUpdateAt: string | null } | null;
  /** Reminder chains that ended (dismissed, or capped) before their update came: not planned again. */
  stopped?: readonly { kind: string; since: string }[];
}

const CLOSED_STATUSES = new Set(['resolved', 'closed']);

function payload(since: Date, extra: Partial<TimerPayload> = {}): TimerPayload {
  return { target: null, who: null, reason: '', round: 1, ...extra, since: since.toISOString() };
}

function after(iso: string, ms: number): Date {
  return new Date(Date.parse(iso) + ms);
}

/** "1 min", "2 h", "90 s": short, for reasons shown in Slack. */
export function shortDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

/**
 * The timers an incident should have now, from the severity policy, the runbook and the update history.
 * Pure: the service compares it with the timers already open (`reconcile`) after every change.
 */
export function planTimers(input: {
  incident: PlanIncident;
  policy: Policy;
  runbook: PlanRunbook | null;
  history: PlanHistory;
}): PlannedTimer[] {
  const { incident, policy, runbook, history } = input;
  if (CLOSED_STATUSES.has(incident.status)) return [];
  const severity = policy.severities[incident.severity];
  if (!severity) return [];
  const plan: PlannedTimer[] = [];

  if (!incident.commanderId) {
    const due = after(incident.declaredAt, severity.response_time);
    plan.push({
      kind: TIMER_KIND.unclaimed,
      dueAt: due,
      payload: payload(due, {
        reason: `no commander has claimed this ${incident.severity} after ${shortDuration(severity.response_time)}`,
      }),
    });
  }

  if (severity.escalate_to && severity.escalate_after !== 'none') {
    const due =
      severity.escalate_after === 'next_business_day'
        ? nextBusinessDay(new Date(incident.declaredAt), policy.timezone, policy.business_hours)
        : after(incident.declaredAt, severity.escalate_after);
    const when =
      severity.escalate_after === 'next_business_day'
        ? 'by the next business day'
        : `after ${shortDuration(severity.escalate_after)}`;
    plan.push({
      kind: TIMER_KIND.escalate,
      dueAt: due,
      payload: payload(due, {
        target: severity.escalate_to,
        reason: `${incident.severity} unresolved ${when}`,
      }),
    });
  }

  const rule = runbook ? runbookEscalation(runbook, policy) : null;
  if (runbook && rule) {
    const due = after(incident.declaredAt, rule.afterMs);
    plan.push({
      kind: TIMER_KIND.runbookEscalate,
      dueAt: due,
      payload: payload(due, {
        target: rule.target,
        who: rule.who,
        reason: `${runbook.id}: escalate if it persists after ${shortDuration(rule.afterMs)}`,
      }),
    });
  }

  const stopped = (kind: TimerKind, due: Date) =>
    (history.stopped ?? []).some((s) => s.kind === kind && s.since === due.toISOString());
  if (severity.update_every !== 'none') {
    const due = nextDue(history.lastUpdate, incident.declaredAt, severity.update_every);
    if (!stopped(TIMER_KIND.updateDue, due))
      plan.push({
        kind: TIMER_KIND.updateDue,
        dueAt: due,
        payload: payload(due, { reason: `status update every ${shortDuration(severity.update_every)}` }),
      });
    const briefDue = nextDue(history.lastBrief, incident.declaredAt, severity.update_every);
    if (severity.executive_brief && !stopped(TIMER_KIND.execBriefDue, briefDue)) {
      plan.push({
        kind: TIMER_KIND.execBriefDue,
        dueAt: briefDue,
        payload: payload(briefDue, {
          reason: `executive brief every ${shortDuration(severity.update_every)}`,
        }),
      });
    }
  }
  return plan;
}

/** The next update is due when the last one promised it, else one cadence after it (or after declaring). */
function nextDue(
  last: { at: string; nextUpdateAt: string | null } | null,
  declaredAt: string,
  every: number,
) {
  if (last?.nextUpdateAt && !Number.isNaN(Date.parse(last.nextUpdateAt))) return new Date(last.nextUpdateAt);
  return after(last?.at ?? declaredAt, every);
}

/**
 * The runbook's escalation rule: after front matter `escalation.after`, else the delay in its "when to
 * escalate" text; to front matter `escalation.to`, else the first `@name` of "who to contact" that is a
 * policy target. A name the policy does not know is still shown (as `who`), so a person can act on it.
 */
export function runbookEscalation(
  runbook: PlanRunbook,
  policy: Pick<Policy, 'targets'>,
): { afterMs: number; target: string | null; who: string | null } | null {
  const fromMeta = runbook.meta.escalationAfter ? parseDuration(runbook.meta.escalationAfter) : null;
  // Each "when" line is an alternative: the earliest delay is when one of them can first apply.
  const fromText = runbook.escalation.when.map(delayFromText).filter((ms): ms is number => ms !== null);
  const afterMs = fromMeta ?? (fromText.length ? Math.min(...fromText) : null);
  if (afterMs === null) return null;
  const who = runbook.escalation.who.join('; ').trim() || null;
  const named = [
    runbook.meta.escalationTo,
    ...[...(who ?? '').matchAll(/@([A-Za-z0-9_.-]+)/g)].map((m) => m[1] ?? null),
  ];
  const target = named.find((name): name is string => !!name && name in policy.targets) ?? null;
  return { afterMs, target, who: who ?? runbook.meta.escalationTo };
}

export interface OpenTimer {
  kind: string;
  dueAt: string;
  payload: Record<string, unknown> | null;
}

/**
 * What to change so the open timers match the plan: for each planned kind, an open timer about the same
 * moment (`since`) is kept, even a repeat due later; otherwise the kind's open timers are cancelled and
 * the planned one scheduled. Kinds the plan no longer has are cancelled.
 */
export function reconcile(
  open: readonly OpenTimer[],
  plan: readonly PlannedTimer[],
): { cancelKinds: TimerKind[]; schedule: PlannedTimer[] } {
  const cancelKinds: TimerKind[] = [];
  const schedule: PlannedTimer[] = [];
  for (const kind of PLANNED_KINDS) {
    const openOfKind = open.filter((t) => t.kind === kind);
    const planned = plan.find((p) => p.kind === kind);
    if (planned && openOfKind.some((t) => t.payload?.since === planned.payload.since)) continue;
    if (openOfKind.length) cancelKinds.push(kind);
    if (planned) schedule.push(planned);
  }
  return { cancelKinds, schedule };
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallTime(instant: Date, timeZone: string): WallTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The zone's offset from UTC at `instant`, in ms (New York in winter: -5 h). */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a wall-clock time in `timeZone` happens (the offset is looked up twice for DST changes). */
export function zonedTime(
  date: { year: number; month: number; day: number },
  hhmm: string,
  timeZone: string,
) {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  const guess = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const first = guess - offsetAt(new Date(guess), timeZone);
  return new Date(guess - offsetAt(new Date(first), timeZone));
}

/**
 * The start of business hours on the first business day after the local day of `from` (P2's "escalate on
 * the next business day"): declared Friday afternoon in New York -> Monday 09:00 New York time.
 */
export function nextBusinessDay(
  from: Date,
  timeZone: string,
  hours: { start: string; days: readonly Weekday[] },
): Date {
  const local = wallTime(from, timeZone);
  for (let ahead = 1; ahead <= 7; ahead++) {
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + ahead));
    if (!hours.days.includes(WEEKDAYS[day.getUTCDay()] as Weekday)) continue;
    return zonedTime(
      { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
      hours.start,
      timeZone,
    );
  }
  // Unreachable: the policy schema requires at least one business day.
  return new Date(from.getTime() + 86_400_000);
}
