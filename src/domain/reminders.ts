import type { Policy } from './policy.ts';
import type { Timer } from './timer.ts';
import { TIMER_KIND, TimerPayloadSchema } from './timerPlan.ts';

/** Reminders of one due update when policy.yml says nothing: the first and three repeats. */
export const DEFAULT_REMINDER_CAP = 4;

export function reminderCap(policy: Pick<Policy, 'reminders'>): number {
  return policy.reminders?.cap ?? DEFAULT_REMINDER_CAP;
}

/** The snoozes a reminder offers, by the value its button carries. */
export const SNOOZES = { '15m': 15 * 60_000, '1h': 3_600_000 } as const;
export type Snooze = keyof typeof SNOOZES;

export const REMINDER_TIMER = { status: TIMER_KIND.updateDue, brief: TIMER_KIND.execBriefDue } as const;
export type ReminderKind = keyof typeof REMINDER_TIMER;

/** Timeline kind of a reminder chain that ended (dismissed, or its cap reached) before the update came. */
export const REMINDER_STOPPED = 'reminder_stopped';

/** What is overdue, named for a responder: the timer's chain started (`since`) before now. */
const OVERDUE_LABEL: Record<string, string> = {
  [TIMER_KIND.updateDue]: 'status update',
  [TIMER_KIND.execBriefDue]: 'executive brief',
  [TIMER_KIND.escalate]: 'escalation',
  [TIMER_KIND.runbookEscalate]: 'runbook escalation',
  [TIMER_KIND.escalateRepeat]: 'escalation not acknowledged',
  [TIMER_KIND.unclaimed]: 'commander not claimed',
};

/**
 * The overdue updates and escalations among an incident's open timers. A re-armed reminder is due in the
 * future, but its update has been overdue since the chain began: `since` says so, not `dueAt`.
 */
export function overdueOf(timers: readonly Timer[], now: Date): { what: string; since: string }[] {
  const found = new Map<string, string>();
  for (const timer of timers) {
    const what = OVERDUE_LABEL[timer.kind];
    if (!what) continue;
    const since = TimerPayloadSchema.safeParse(timer.payload ?? {}).data?.since ?? timer.dueAt;
    const started = Math.min(Date.parse(since), Date.parse(timer.dueAt));
    if (started >= now.getTime()) continue;
    const earlier = found.get(what);
    const at = new Date(started).toISOString();
    if (!earlier || earlier > at) found.set(what, at);
  }
  return [...found].map(([what, since]) => ({ what, since }));
}
