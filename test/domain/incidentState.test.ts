import { describe, expect, it } from 'vitest';
import {
  INCIDENT_STATUSES,
  type IncidentStatus,
  IncidentStatusSchema,
  isEscalation,
  isOpen,
  isReopen,
  mayResolveOrChangeSeverity,
  nextStatuses,
  severityRank,
  transition,
} from '../../src/domain/incidentState.ts';

const REASON = {
  same: (s: IncidentStatus) => `The incident is already ${s}; nothing to change.`,
  closed:
    'This incident is closed, and closed is final. If the problem is back, declare a new incident with /incident declare.',
  toDeclared:
    'An incident cannot go back to declared. To start the investigation over, use /incident status investigating.',
  closeOpen:
    'Only a resolved incident can close, and it closes when its post-mortem is done. Resolve it first with /incident resolve.',
  closeResolved:
    'A resolved incident closes when its post-mortem is marked done. Mark the post-mortem done to close it.',
  reopenAs: (s: IncidentStatus) =>
    `A resolved incident reopens as investigating, not ${s}. Use /incident status investigating to reopen it.`,
};

// Every allowed move; each of the other pairs of the 36 must be refused with its reason.
const ALLOWED: Record<IncidentStatus, readonly IncidentStatus[]> = {
  declared: ['investigating', 'identified', 'monitoring', 'resolved'],
  investigating: ['identified', 'monitoring', 'resolved'],
  // The suspected cause was wrong.
  identified: ['investigating', 'monitoring', 'resolved'],
  // The fix did not hold.
  monitoring: ['investigating', 'identified', 'resolved'],
  // A reopen.
  resolved: ['investigating'],
  closed: [],
};

const pairs = INCIDENT_STATUSES.flatMap((from) =>
  INCIDENT_STATUSES.map((to) => ({ from, to, allowed: ALLOWED[from].includes(to) })),
);

function expectedReason(from: IncidentStatus, to: IncidentStatus): string {
  if (from === to) return REASON.same(to);
  if (from === 'closed') return REASON.closed;
  if (to === 'declared') return REASON.toDeclared;
  if (to === 'closed') return from === 'resolved' ? REASON.closeResolved : REASON.closeOpen;
  return REASON.reopenAs(to);
}

describe('transition', () => {
  it('covers all 36 pairs', () => {
    expect(pairs).toHaveLength(36);
    expect(pairs.filter((p) => p.allowed)).toHaveLength(14);
  });

  it.each(pairs)('$from -> $to: allowed $allowed', ({ from, to, allowed }) => {
    expect(transition(from, to)).toEqual(
      allowed ? { ok: true } : { ok: false, reason: expectedReason(from, to) },
    );
  });

  it('closes a resolved incident only when the post-mortem is done', () => {
    expect(transition('resolved', 'closed', { postMortemDone: true })).toEqual({ ok: true });
    expect(transition('monitoring', 'closed', { postMortemDone: true })).toEqual({
      ok: false,
      reason: REASON.closeOpen,
    });
    expect(transition('closed', 'closed', { postMortemDone: true })).toEqual({
      ok: false,
      reason: REASON.same('closed'),
    });
  });

  it('lists the next statuses for a menu', () => {
    expect(nextStatuses('declared')).toEqual(['investigating', 'identified', 'monitoring', 'resolved']);
    expect(nextStatuses('monitoring')).toEqual(['investigating', 'identified', 'resolved']);
    expect(nextStatuses('resolved')).toEqual(['investigating']);
    expect(nextStatuses('resolved', { postMortemDone: true })).toEqual(['investigating', 'closed']);
    expect(nextStatuses('closed')).toEqual([]);
  });

  it('recognises a reopen', () => {
    expect(isReopen('resolved', 'investigating')).toBe(true);
    expect(isReopen('resolved', 'identified')).toBe(false);
    expect(isReopen('monitoring', 'investigating')).toBe(false);
    expect(isReopen('resolved', 'closed')).toBe(false);
  });
});

describe('statuses', () => {
  it('are the single ordered list, validated by the schema', () => {
    expect(INCIDENT_STATUSES).toEqual([
      'declared',
      'investigating',
      'identified',
      'monitoring',
      'resolved',
      'closed',
    ]);
    expect(IncidentStatusSchema.parse('monitoring')).toBe('monitoring');
    expect(IncidentStatusSchema.safeParse('fixed').success).toBe(false);
  });

  it.each([
    ['declared', true],
    ['investigating', true],
    ['identified', true],
    ['monitoring', true],
    ['resolved', false],
    ['closed', false],
  ] as const)('isOpen(%s) is %s', (status, open) => {
    expect(isOpen(status)).toBe(open);
  });
});

describe('severity', () => {
  it('ranks P0 as 0', () => {
    expect([severityRank('P0'), severityRank('P1'), severityRank('P2'), severityRank('P3')]).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('calls a move to a more severe level an escalation', () => {
    expect(isEscalation('P2', 'P0')).toBe(true);
    expect(isEscalation('P1', 'P0')).toBe(true);
    expect(isEscalation('P0', 'P2')).toBe(false);
    expect(isEscalation('P1', 'P1')).toBe(false);
  });
});

describe('mayResolveOrChangeSeverity', () => {
  it('allows only the commander when there is one', () => {
    expect(mayResolveOrChangeSeverity({ actor: 'U1', commanderId: 'U1' })).toBe(true);
    expect(mayResolveOrChangeSeverity({ actor: 'U2', commanderId: 'U1' })).toBe(false);
  });

  it('allows anyone when nobody has taken command', () => {
    expect(mayResolveOrChangeSeverity({ actor: 'U2', commanderId: null })).toBe(true);
    expect(mayResolveOrChangeSeverity({ actor: 'U2', commanderId: '' })).toBe(true);
  });
});
