import { describe, expect, it } from 'vitest';
import { milestoneProblem, responseDurations } from '../../src/domain/milestones.ts';

const base = {
  declaredAt: '2026-12-03T10:00:00.000Z',
  impactStartedAt: null,
  detectedAt: null,
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
};
const NOW = new Date('2026-12-03T12:00:00.000Z');
const MIN = 60_000;

describe('responseDurations', () => {
  it('counts from the declaration when nobody edited the times, and has no MTTD then', () => {
    const d = responseDurations({
      ...base,
      acknowledgedAt: '2026-12-03T10:05:00.000Z',
      resolvedAt: '2026-12-03T11:00:00.000Z',
    });
    expect(d).toEqual({ ttdMs: null, ttaMs: 5 * MIN, ttmMs: null, ttrMs: 60 * MIN });
  });

  it('measures detection, mitigation and resolution from the impact start, acknowledgement from detection', () => {
    const d = responseDurations({
      ...base,
      impactStartedAt: '2026-12-03T09:40:00.000Z',
      detectedAt: '2026-12-03T09:55:00.000Z',
      acknowledgedAt: '2026-12-03T10:02:00.000Z',
      mitigatedAt: '2026-12-03T10:10:00.000Z',
      resolvedAt: '2026-12-03T10:40:00.000Z',
    });
    expect(d).toEqual({ ttdMs: 15 * MIN, ttaMs: 7 * MIN, ttmMs: 30 * MIN, ttrMs: 60 * MIN });
  });
});

describe('milestoneProblem', () => {
  it('accepts times in order, and names both times of a pair out of order', () => {
    expect(milestoneProblem(base, { impactStartedAt: '2026-12-03T09:00:00.000Z' }, NOW)).toBeNull();
    expect(
      milestoneProblem(
        base,
        { mitigatedAt: '2026-12-03T10:30:00.000Z', acknowledgedAt: '2026-12-03T10:40:00.000Z' },
        NOW,
      ),
    ).toBe('Mitigated cannot come before acknowledged: change one of the two.');
  });

  it('refuses a time in the future', () => {
    expect(milestoneProblem(base, { detectedAt: '2026-12-03T12:01:00.000Z' }, NOW)).toBe(
      'Detected is in the future: pick a time that has passed.',
    );
  });
});
