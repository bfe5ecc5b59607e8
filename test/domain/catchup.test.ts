import { describe, expect, it } from 'vitest';
import { catchupOf } from '../../src/domain/catchup.ts';
import type { Timer } from '../../src/domain/timer.ts';
import { makeIncident, makeStep } from '../blocks/fixtures.ts';

const NOW = new Date('2026-11-22T10:40:00.000Z');

function timer(kind: string, dueAt: string): Timer {
  return {
    id: 1,
    incidentId: 7,
    kind,
    dueAt,
    firedAt: null,
    cancelledAt: null,
    claimedAt: null,
    payload: null,
    createdAt: dueAt,
  };
}

describe('catchupOf', () => {
  it('splits steps and timers into done, open, overdue and next, and groups assignees', () => {
    const steps = [
      makeStep({ id: 1, number: 1, title: 'One', state: 'done', completedBy: 'U0A' }),
      makeStep({ id: 2, number: 2, title: 'Two', state: 'active', assigneeId: 'U0BOB' }),
      makeStep({ id: 3, number: 3, title: 'Three', state: 'pending', assigneeId: 'U0BOB' }),
      makeStep({ id: 4, number: 4, title: 'Four', state: 'skipped' }),
      makeStep({ id: 5, section: 'process', title: 'Process', state: 'active' }),
    ];
    const c = catchupOf({
      incident: makeIncident({ declaredAt: '2026-11-22T10:00:00.000Z' }),
      steps,
      lastUpdate: null,
      timers: [
        timer('escalate', '2026-11-22T12:00:00.000Z'),
        timer('update_due', '2026-11-22T10:30:00.000Z'),
      ],
      now: NOW,
    });
    expect(c.elapsedMs).toBe(40 * 60_000);
    expect(c.done).toEqual([{ number: 1, title: 'One', who: 'U0A' }]);
    expect(c.active).toEqual([{ number: 2, title: 'Two', who: 'U0BOB' }]);
    expect([c.pending, c.skipped]).toEqual([1, 1]);
    expect(c.assignees).toEqual([{ userId: 'U0BOB', steps: [2, 3] }]);
    expect(c.overdue).toEqual([{ what: 'status update due', since: '2026-11-22T10:30:00.000Z' }]);
    expect(c.nextTimer).toEqual({ what: 'escalation', at: '2026-11-22T12:00:00.000Z' });
  });
});
