import { wallTime, zonedTime } from './timerPlan.ts';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

export interface WorkingHours {
  start: string;
  end: string;
  days: readonly Weekday[];
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

function addDays(day: LocalDay, n: number): LocalDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function weekday(day: LocalDay): Weekday {
  return WEEKDAYS[new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay()] as Weekday;
}

/** The calendar day of `instant` in `timeZone`, as YYYY-MM-DD (follow-up due dates are written so). */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Midnight of the local day of `instant` in `timeZone`: "today" starts here. */
export function startOfLocalDay(instant: Date, timeZone: string): Date {
  return zonedTime(wallTime(instant, timeZone), '00:00', timeZone);
}

/**
 * `instant` if it falls within the team's working hours, else the start of the next working period: a
 * reminder due at 03:00 local fires at business_hours.start that day (if a business day) or on the next
 * business day; one due after business_hours.end moves to the next business day's start.
 */
export function inWorkingHours(instant: Date, timeZone: string, hours: WorkingHours): Date {
  const today = wallTime(instant, timeZone);
  for (let ahead = 0; ahead <= 7; ahead++) {
    const day = addDays(today, ahead);
    if (!hours.days.includes(weekday(day))) continue;
    const start = zonedTime(day, hours.start, timeZone);
    const end = zonedTime(day, hours.end, timeZone);
    if (instant.getTime() < start.getTime()) return start;
    if (instant.getTime() < end.getTime()) return instant;
  }
  // Unreachable with at least one business day (the policy schema requires one).
  return instant;
}

/** The start of working hours on the first business day after the local day of `instant`. */
export function nextWorkingDayStart(instant: Date, timeZone: string, hours: WorkingHours): Date {
  const today = wallTime(instant, timeZone);
  for (let ahead = 1; ahead <= 7; ahead++) {
    const day = addDays(today, ahead);
    if (hours.days.includes(weekday(day))) return zonedTime(day, hours.start, timeZone);
  }
  return new Date(instant.getTime() + 86_400_000);
}
