import { describe, expect, it } from 'vitest';
import { archivePlan } from '../../src/domain/archive.ts';
import { overdueOf } from '../../src/domain/reminders.ts';
import type { Timer } from '../../src/domain/timer.ts';

const DAY = 86_400_000;
const base = {
  channelId: 'C0INC00001',
  inFallback: false,
  drill: false,
  status: 'closed' as const,
  closedAt: '2026-11-01T10:00:00.000Z',
  resolvedAt: '2026-10-30T10:00:00.000Z',
};

describe('archivePlan', () => {
  it('archives 30 days after close by default, the notice a day before', () => {
    expect(archivePlan(base, {})).toEqual({
      noticeAt: new Date('2026-11-30T10:00:00.000Z'),
      archiveAt: new Date('2026-12-01T10:00:00.000Z'),
    });
  });

  it('follows policy.yml, and the environment override before it; a notice never comes before the close', () => {
    const policy = { archive: { after: 7 * DAY, notice_before: 2 * DAY } };
    expect(archivePlan(base, policy)?.noticeAt).toEqual(new Date('2026-11-06T10:00:00.000Z'));
    expect(archivePlan(base, policy, DAY)).toEqual({
      noticeAt: new Date('2026-11-01T10:00:00.000Z'),
      archiveAt: new Date('2026-11-02T10:00:00.000Z'),
    });
  });

  it('counts a drill from its resolve, and plans nothing for an open incident, a fallback or `never`', () => {
    const drill = { ...base, drill: true, status: 'resolved' as const, closedAt: null };
    expect(archivePlan(drill, {})?.archiveAt).toEqual(new Date('2026-11-29T10:00:00.000Z'));
    expect(archivePlan({ ...base, drill: false, status: 'resolved' }, {})).toBeNull();
    expect(archivePlan({ ...base, inFallback: true }, {})).toBeNull();
    expect(archivePlan(base, { archive: { after: 'never' } })).toBeNull();
  });
});

describe('overdueOf', () => {
  const timer = (kind: string, dueAt: string, since: string): Timer => ({
    id: 1,
    incidentId: 1,
    kind,
    dueAt,
    firedAt: null,
    cancelledAt: null,
    claimedAt: null,
    payload: { since, round: 2 },
    createdAt: since,
  });

  it('names an update overdue since it came due, though its re-armed reminder is due later', () => {
    const now = new Date('2026-11-23T15:10:00.000Z');
    expect(
      overdueOf(
        [
          timer('update_due', '2026-11-23T15:15:00.000Z', '2026-11-23T15:00:00.000Z'),
          timer('escalate_repeat', '2026-11-23T15:20:00.000Z', '2026-11-23T14:50:00.000Z'),
          timer('escalate', '2026-11-23T16:00:00.000Z', '2026-11-23T16:00:00.000Z'),
          timer('channel_archive', '2026-11-23T15:00:00.000Z', '2026-11-23T15:00:00.000Z'),
        ],
        now,
      ),
    ).toEqual([
      { what: 'status update', since: '2026-11-23T15:00:00.000Z' },
      { what: 'escalation not acknowledged', since: '2026-11-23T14:50:00.000Z' },
    ]);
  });
});
