import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import type { Policy, ReviewSchedule } from '../domain/policy.ts';
import { REVIEW_DAYS } from '../domain/policy.ts';
import { zonedTime } from '../domain/timerPlan.ts';
import type { Runbook } from './model.ts';

/** Steps skipped in incidents and drills this recently make a runbook due for review. */
export const TROUBLE_WINDOW_DAYS = 30;

export interface ResolvedReviewSchedule {
  enabled: boolean;
  day: ReviewSchedule['day'];
  hour: number;
  timezone: string;
  /** Where user-group owners are mentioned and unowned runbooks are listed. */
  channel: string;
}

/** The policy's `review:` with its defaults: Monday 10:00 in the policy's timezone, the announce channel. */
export function reviewSchedule(policy: Policy): ResolvedReviewSchedule {
  const r = policy.review;
  return {
    enabled: r?.enabled ?? true,
    day: r?.day ?? 'mon',
    hour: r?.hour ?? 10,
    timezone: r?.timezone ?? policy.timezone,
    channel: r?.channel ?? policy.channels.announce,
  };
}

function localDate(instant: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** The first review slot (the schedule's weekday and hour, in its timezone) strictly after `after`. */
export function nextReviewAt(after: Date, schedule: ResolvedReviewSchedule): Date {
  const today = localDate(after, schedule.timezone);
  const hhmm = `${String(schedule.hour).padStart(2, '0')}:00`;
  for (let ahead = 0; ahead <= 7; ahead++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + ahead));
    if (REVIEW_DAYS[day.getUTCDay()] !== schedule.day) continue;
    const at = zonedTime(
      { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
      hhmm,
      schedule.timezone,
    );
    if (at.getTime() > after.getTime()) return at;
  }
  // The same weekday a week on (ahead = 7 is always that weekday, so this is not reached).
  return new Date(after.getTime() + 7 * 86_400_000);
}

/** Who the review reminds about a runbook: front matter `owner_slack`, else policy `owners:` by the Owner line. */
export type ReviewOwner =
  | { kind: 'user'; id: string; name: string | null }
  | { kind: 'group'; id: string; name: string | null }
  | { kind: 'none'; id: null; name: string | null };

export function reviewOwner(runbook: Runbook, policy: Policy): ReviewOwner {
  const name = runbook.owner;
  const owners = policy.owners ?? {};
  const fromPolicy = name
    ? (owners[name] ??
      Object.entries(owners).find(([team]) => team.toLowerCase() === name.toLowerCase())?.[1])
    : undefined;
  const id = runbook.meta.ownerSlack ?? fromPolicy;
  if (!id) return { kind: 'none', id: null, name };
  return id.startsWith('S') ? { kind: 'group', id, name } : { kind: 'user', id, name };
}

export interface SkippedInPractice {
  runbookId: string;
  incidentId: number;
  drill: boolean;
  number: number | null;
  title: string;
  skipReason: string | null;
}

export interface ReviewItem {
  runbook: Runbook;
  owner: ReviewOwner;
  /** Why it is listed, as sentences for the owner. */
  reasons: string[];
}

export interface ReviewInput {
  runbooks: readonly Runbook[];
  policy: Policy;
  now: Date;
  /** Last finished drill by runbook ID: a drill counts as a test. */
  drills: ReadonlyMap<string, Date>;
  /** Steps skipped in incidents and drills of the last TROUBLE_WINDOW_DAYS days. */
  skipped: readonly SkippedInPractice[];
}

/**
 * The runbooks their owners should look at this week: past their review date (`Last Tested`, or the
 * last drill, older than the policy's review_interval), never tested at all, or with steps skipped in
 * recent incidents and drills. Pure, so the weekly job is tested without Slack or a clock.
 */
export function runbooksToReview(input: ReviewInput): ReviewItem[] {
  const intervalDays = Math.round(input.policy.review_interval / 86_400_000);
  const items: ReviewItem[] = [];
  for (const runbook of input.runbooks) {
    const reasons: string[] = [];
    const stated = runbook.lastTested ? parseISO(runbook.lastTested) : null;
    const drilled = input.drills.get(runbook.id);
    if (runbook.lastTested && stated && !isValid(stated))
      reasons.push(`Last Tested "${runbook.lastTested}" is not a date (write YYYY-MM-DD)`);
    const latest = [stated, drilled ?? null]
      .filter((d): d is Date => d instanceof Date && isValid(d))
      .sort((a, b) => +b - +a)[0];
    if (!latest) {
      if (!runbook.lastTested) reasons.push('never tested or drilled');
    } else {
      const age = differenceInCalendarDays(input.now, latest);
      if (age > intervalDays)
        reasons.push(
          `last ${drilled && latest === drilled ? 'drilled' : 'tested'} ${age} days ago (review every ${intervalDays} days)`,
        );
    }
    const skipped = input.skipped.filter((s) => s.runbookId === runbook.id);
    if (skipped.length) {
      const where = [...new Set(skipped.map((s) => `${s.drill ? 'drill' : 'incident'} #${s.incidentId}`))];
      const steps = skipped
        .slice(0, 3)
        .map((s) => `step ${s.number ?? '?'} "${s.title}"${s.skipReason ? ` (${s.skipReason})` : ''}`);
      const more = skipped.length > steps.length ? ` and ${skipped.length - steps.length} more` : '';
      reasons.push(
        `${skipped.length} step${skipped.length === 1 ? '' : 's'} skipped or unclear in ${where.join(', ')} (last ${TROUBLE_WINDOW_DAYS} days): ${steps.join('; ')}${more}`,
      );
    }
    if (reasons.length) items.push({ runbook, owner: reviewOwner(runbook, input.policy), reasons });
  }
  return items;
}

export interface ReviewBatch {
  /** Where the reminder goes: the owner's DM (user ID) or the review channel. */
  channel: string;
  owner: ReviewOwner;
  items: ReviewItem[];
}

/** One reminder per owner: users in their DM, user groups mentioned in the review channel, the unowned there too. */
export function groupByOwner(items: readonly ReviewItem[], reviewChannel: string): ReviewBatch[] {
  const batches = new Map<string, ReviewBatch>();
  for (const item of items) {
    const key = item.owner.kind === 'none' ? 'none' : item.owner.id;
    const batch = batches.get(key) ?? {
      channel: item.owner.kind === 'user' ? item.owner.id : reviewChannel,
      owner: item.owner.kind === 'none' ? { kind: 'none', id: null, name: null } : item.owner,
      items: [],
    };
    batch.items.push(item);
    batches.set(key, batch);
  }
  return [...batches.values()];
}
