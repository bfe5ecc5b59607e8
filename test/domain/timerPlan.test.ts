import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Policy, PolicySchema } from '../../src/domain/policy.ts';
import {
  delayFromText,
  nextBusinessDay,
  type PlanRunbook,
  planTimers,
  reconcile,
  runbookEscalation,
  TIMER_KIND,
} from '../../src/domain/timerPlan.ts';
import { TEST_POLICY } from '../support/testRunbooks.ts';

const policy: Policy = PolicySchema.parse({
  ...parse(TEST_POLICY),
  timezone: 'America/New_York',
  targets: {
    leadership: { label: 'Leadership', users: ['U0LEAD0001'] },
    legal: { label: 'Legal', users: ['U0LEGAL001'] },
    'dba-oncall': { label: 'Database on-call', groups: ['S0DBA00001'] },
  },
});

const DECLARED = '2026-11-20T15:00:00.000Z'; // a Friday, 10:00 in New York
const noHistory = { lastUpdate: null, lastBrief: null };

function incident(
  over: Partial<{ severity: 'P0' | 'P1' | 'P2' | 'P3'; status: string; commanderId: string | null }>,
) {
  return {
    severity: 'P1' as const,
    status: 'investigating',
    declaredAt: DECLARED,
    commanderId: null,
    ...over,
  };
}

const RUN_001: PlanRunbook = {
  id: 'RUN-001',
  meta: { escalationAfter: '30m', escalationTo: 'dba-oncall' },
  escalation: {
    when: ['pool still >90% after 30 minutes'],
    who: ['@dba-oncall, then the Backend Team lead'],
  },
};

function summary(plan: ReturnType<typeof planTimers>) {
  return plan.map((t) => [t.kind, t.dueAt.toISOString(), t.payload.target, t.payload.reason]);
}

describe('planTimers', () => {
  it('plans a P0 without commander: re-page, escalation, runbook escalation, update and brief', () => {
    const plan = planTimers({
      incident: incident({ severity: 'P0' }),
      policy,
      runbook: RUN_001,
      history: noHistory,
    });
    expect(summary(plan)).toEqual([
      ['unclaimed', '2026-11-20T15:05:00.000Z', null, 'no commander has claimed this P0 after 5 min'],
      ['escalate', '2026-11-20T15:30:00.000Z', 'leadership', 'P0 unresolved after 30 min'],
      [
        'runbook_escalate',
        '2026-11-20T15:30:00.000Z',
        'dba-oncall',
        'RUN-001: escalate if it persists after 30 min',
      ],
      ['update_due', '2026-11-20T15:15:00.000Z', null, 'status update every 15 min'],
      ['exec_brief_due', '2026-11-20T15:15:00.000Z', null, 'executive brief every 15 min'],
    ]);
    expect(plan.every((t) => t.payload.since === t.dueAt.toISOString() && t.payload.round === 1)).toBe(true);
  });

  it('drops the re-page once there is a commander, and counts the cadence from the promised next update', () => {
    const plan = planTimers({
      incident: incident({ commanderId: 'U0COMMAND1' }),
      policy,
      runbook: null,
      history: {
        lastUpdate: { at: '2026-11-20T15:20:00.000Z', nextUpdateAt: '2026-11-20T15:40:00.000Z' },
        lastBrief: null,
      },
    });
    expect(summary(plan)).toEqual([
      ['escalate', '2026-11-20T17:00:00.000Z', 'leadership', 'P1 unresolved after 2 h'],
      ['update_due', '2026-11-20T15:40:00.000Z', null, 'status update every 30 min'],
    ]);
  });

  it('escalates a P2 at the start of the next business day in the policy time zone', () => {
    const plan = planTimers({
      incident: incident({ severity: 'P2', commanderId: 'U1' }),
      policy,
      runbook: null,
      history: noHistory,
    });
    // Friday 10:00 New York -> Monday 09:00 New York (14:00 UTC in November).
    expect(summary(plan).find(([kind]) => kind === 'escalate')).toEqual([
      'escalate',
      '2026-11-23T14:00:00.000Z',
      'leadership',
      'P2 unresolved by the next business day',
    ]);
  });

  it('plans only the re-page for a P3 and nothing once resolved', () => {
    expect(
      summary(
        planTimers({ incident: incident({ severity: 'P3' }), policy, runbook: null, history: noHistory }),
      ),
    ).toEqual([
      ['unclaimed', '2026-11-22T15:00:00.000Z', null, 'no commander has claimed this P3 after 48 h'],
    ]);
    expect(
      planTimers({
        incident: incident({ status: 'resolved' }),
        policy,
        runbook: RUN_001,
        history: noHistory,
      }),
    ).toEqual([]);
  });
});

describe('runbook escalation', () => {
  it('reads the delay from the "when" text when the front matter has none', () => {
    expect(delayFromText('escalate if it persists > 15 minutes')).toBe(900_000);
    expect(delayFromText('pool still >90% after 30 minutes, or data doubts')).toBe(1_800_000);
    expect(delayFromText('p99 still above 1 s after 1 hour')).toBe(3_600_000);
    expect(delayFromText('backlog persists for 90s')).toBe(90_000);
    expect(delayFromText('at once on a confirmed compromise')).toBeNull();
  });

  it('escalates to the first @name of "who to contact" that the policy knows, else names who to call', () => {
    const fromText: PlanRunbook = {
      id: 'RUN-010',
      meta: { escalationAfter: null, escalationTo: null },
      escalation: {
        when: ['lag still growing after 30 minutes'],
        who: ['@dba-oncall, then the Backend Team lead'],
      },
    };
    expect(runbookEscalation(fromText, policy)).toEqual({
      afterMs: 1_800_000,
      target: 'dba-oncall',
      who: '@dba-oncall, then the Backend Team lead',
    });
    const unknown = { ...fromText, escalation: { ...fromText.escalation, who: ['@storage-team'] } };
    expect(runbookEscalation(unknown, policy)).toEqual({
      afterMs: 1_800_000,
      target: null,
      who: '@storage-team',
    });
    expect(
      runbookEscalation({ ...fromText, escalation: { when: ['when in doubt'], who: [] } }, policy),
    ).toBeNull();
  });
});

describe('nextBusinessDay', () => {
  const hours = { start: '09:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const };
  it('skips the weekend and follows daylight saving time', () => {
    // Saturday 2026-03-07 in New York; Monday 2026-03-09 09:00 is EDT (UTC-4) after the switch on Sunday.
    expect(
      nextBusinessDay(new Date('2026-03-07T18:00:00Z'), 'America/New_York', {
        ...hours,
        days: [...hours.days],
      }).toISOString(),
    ).toBe('2026-03-09T13:00:00.000Z');
    // Thursday 23:30 in New York is already Friday in UTC; the local day decides.
    expect(
      nextBusinessDay(new Date('2026-11-20T04:30:00Z'), 'America/New_York', {
        ...hours,
        days: [...hours.days],
      }).toISOString(),
    ).toBe('2026-11-20T14:00:00.000Z');
    expect(
      nextBusinessDay(new Date('2026-11-20T15:00:00Z'), 'UTC', {
        start: '08:30',
        days: ['mon'],
      }).toISOString(),
    ).toBe('2026-11-23T08:30:00.000Z');
  });
});

describe('reconcile', () => {
  const plan = planTimers({ incident: incident({}), policy, runbook: null, history: noHistory });
  it('keeps open timers about the same moment, replaces changed ones and cancels kinds no longer planned', () => {
    const open = [
      // A repeated update reminder of the same chain (same since), due later: kept.
      {
        kind: TIMER_KIND.updateDue,
        dueAt: '2026-11-20T16:00:00.000Z',
        payload: { since: '2026-11-20T15:30:00.000Z' },
      },
      // The P0 escalation of before a severity change: replaced.
      {
        kind: TIMER_KIND.escalate,
        dueAt: '2026-11-20T15:30:00.000Z',
        payload: { since: '2026-11-20T15:30:00.000Z' },
      },
      // An exec brief reminder, which a P1 does not have.
      {
        kind: TIMER_KIND.execBriefDue,
        dueAt: '2026-11-20T15:15:00.000Z',
        payload: { since: '2026-11-20T15:15:00.000Z' },
      },
    ];
    const result = reconcile(open, plan);
    expect(result.cancelKinds).toEqual(['escalate', 'exec_brief_due']);
    expect(result.schedule.map((t) => [t.kind, t.dueAt.toISOString()])).toEqual([
      ['unclaimed', '2026-11-20T16:00:00.000Z'],
      ['escalate', '2026-11-20T17:00:00.000Z'],
    ]);
  });
});
