import { describe, expect, it } from 'vitest';
import { drillOutcome, drillSummary } from '../../src/domain/drill.ts';

describe('drillOutcome', () => {
  it('counts a drill as a test only when every step was completed or skipped', () => {
    expect(drillOutcome(['done', 'skipped', 'done'])).toEqual({
      total: 3,
      completed: 2,
      skipped: 1,
      notDone: 0,
      countsAsTest: true,
    });
    expect(drillOutcome(['done', 'active', 'pending'])).toEqual({
      total: 3,
      completed: 1,
      skipped: 0,
      notDone: 2,
      countsAsTest: false,
    });
  });

  it('does not count an empty drill, where nothing was done', () => {
    expect(drillOutcome(['active', 'pending', 'pending', 'pending']).countsAsTest).toBe(false);
  });
});

describe('drillSummary', () => {
  it('says every number', () => {
    expect(drillSummary(drillOutcome(['done', 'skipped', 'active', 'pending']))).toBe(
      '1 of 4 steps completed, 1 skipped, 2 not done',
    );
    expect(drillSummary(drillOutcome(['done']))).toBe('1 of 1 step completed, 0 skipped');
    expect(drillSummary(drillOutcome(['pending', 'pending']))).toBe(
      '0 of 2 steps completed, 0 skipped, 2 not done',
    );
  });
});
