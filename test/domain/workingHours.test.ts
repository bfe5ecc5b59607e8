import { describe, expect, it } from 'vitest';
import {
  inWorkingHours,
  localDate,
  nextWorkingDayStart,
  startOfLocalDay,
} from '../../src/domain/workingHours.ts';

const HOURS = { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const };
const NY = 'America/New_York';

describe('working hours', () => {
  it('keeps a time within working hours', () => {
    const wed = new Date('2026-11-25T15:00:00.000Z'); // 10:00 in New York
    expect(inWorkingHours(wed, NY, HOURS)).toEqual(wed);
  });

  it('moves 03:00 local to business_hours.start the same business day', () => {
    // Wednesday 03:00 in New York (UTC-5) -> 09:00 New York = 14:00 UTC.
    expect(inWorkingHours(new Date('2026-11-25T08:00:00.000Z'), NY, HOURS).toISOString()).toBe(
      '2026-11-25T14:00:00.000Z',
    );
  });

  it('moves a Saturday 03:00 and a Friday evening to Monday 09:00 local', () => {
    expect(inWorkingHours(new Date('2026-11-28T08:00:00.000Z'), NY, HOURS).toISOString()).toBe(
      '2026-11-30T14:00:00.000Z',
    );
    // Friday 18:30 New York.
    expect(inWorkingHours(new Date('2026-11-27T23:30:00.000Z'), NY, HOURS).toISOString()).toBe(
      '2026-11-30T14:00:00.000Z',
    );
  });

  it('follows daylight saving time', () => {
    // Saturday 2026-03-07 03:00 EST -> Monday 2026-03-09 09:00 EDT (UTC-4).
    expect(inWorkingHours(new Date('2026-03-07T08:00:00.000Z'), NY, HOURS).toISOString()).toBe(
      '2026-03-09T13:00:00.000Z',
    );
  });

  it('knows the next working day, the local date and the start of the local day', () => {
    expect(nextWorkingDayStart(new Date('2026-11-27T15:00:00.000Z'), NY, HOURS).toISOString()).toBe(
      '2026-11-30T14:00:00.000Z',
    );
    // 01:00 UTC on the 26th is still the 25th in New York.
    expect(localDate(new Date('2026-11-26T01:00:00.000Z'), NY)).toBe('2026-11-25');
    expect(startOfLocalDay(new Date('2026-11-26T01:00:00.000Z'), NY).toISOString()).toBe(
      '2026-11-25T05:00:00.000Z',
    );
  });
});
