import { describe, expect, it } from 'vitest';
import { delayFromText, delayMentions, readDelay } from '../../src/domain/escalationDelay.ts';

const MIN = 60_000;
const HOUR = 3_600_000;

describe('delayFromText: the delay, never the threshold or a deadline', () => {
  it.each([
    ['lag > 30s for 10 minutes', 10 * MIN],
    ['p99 latency over 2s for 10m', 10 * MIN],
    ['error rate > 5% for more than 5 min', 5 * MIN],
    ['escalate if it persists > 15 minutes', 15 * MIN],
    ['pool still >90% after 30 minutes, or data doubts', 30 * MIN],
    ['p99 still above 1 s after 1 hour', HOUR],
    ['backlog persists for 90s', 90_000],
    ['errors persist 30 minutes after a successful rollback', 30 * MIN],
    ['a rollout stuck for more than 1 hour', HOUR],
    ['no fix ready in staging within 2 hours', 2 * HOUR],
    ['no Ready pod after 15 minutes', 15 * MIN],
    ['outage longer than 45 minutes', 45 * MIN],
    ['still down after half an hour', 30 * MIN],
    ['no progress after an hour', HOUR],
    ['still failing after fifteen minutes', 15 * MIN],
    ['lasting over 2h', 2 * HOUR],
    // corpus: openshift VirtualMachineStuck*, gitlab registry, gitlab gitaly
    ['No running `virt-controller` pod has been detected for 10 minutes.', 10 * MIN],
    ['(flow rate == 0) consistently after 10 minutes', 10 * MIN],
    ['repositories have been in a read-only state for over 15 minutes', 15 * MIN],
  ])('"%s" -> %d ms', (text, ms) => {
    expect(delayFromText(text)).toBe(ms);
    expect(readDelay(text).problems).toEqual([]);
  });

  it.each([
    'less than 48 hours to expiry with no issued certificate',
    'no good backup within the last 48 hours',
    'a database volume predicted full within 1 hour',
    'requests taking longer than 2s',
    'replication lag > 30s',
    'at once on a confirmed compromise',
    'a failover that would lose more than 16 MB of WAL',
    'Alert on PagerDuty _Gitaly latency on <hostname> has been over 1m during the last 5m_',
    'certificates expire in under 7 days',
    'the deploy finished 10 minutes ago',
  ])('"%s" names no delay and needs no question', (text) => {
    expect(readDelay(text)).toEqual({ delayMs: null, problems: [] });
  });

  it('takes the earliest of alternative clauses and ignores explanations in parentheses', () => {
    expect(
      delayFromText(
        'no leader after 5 minutes; a failover that would lose more than 16 MB of WAL; lag still growing after 30 minutes',
      ),
    ).toBe(5 * MIN);
    expect(delayFromText("the severity's timer runs out (P0 after 30 minutes, P1 after 2 hours)")).toBeNull();
    expect(delayFromText('provider calls still failing after 1 hour or checkout down for 20 minutes')).toBe(
      20 * MIN,
    );
  });

  it('classifies every duration it finds', () => {
    expect(delayMentions('lag > 30s for 10 minutes')).toEqual([
      { kind: 'not-delay', text: '30s' },
      { kind: 'delay', text: '10 minutes', ms: 10 * MIN },
    ]);
  });
});

describe('readDelay: what it cannot read safely, it says', () => {
  it('reports a duration with no word saying what it measures, and does not guess', () => {
    expect(readDelay('escalate 30 minutes in')).toEqual({
      delayMs: null,
      problems: [
        'cannot tell whether "30 minutes" in "escalate 30 minutes in" is how long to wait before escalating: write "for 30 minutes" or "after 30 minutes" for a delay, or set escalation.after in the front matter',
      ],
    });
  });

  it('reports two delays in one clause instead of picking one', () => {
    expect(readDelay('after 10 minutes for 1 hour')).toEqual({
      delayMs: null,
      problems: [
        '"after 10 minutes for 1 hour" names "10 minutes" and "1 hour" as delays: keep one, or set escalation.after in the front matter',
      ],
    });
  });

  it('keeps the delay of a readable clause when another clause is unclear', () => {
    const reading = readDelay('no leader after 5 minutes; 20 minutes without an update');
    expect(reading.delayMs).toBe(5 * MIN);
    expect(reading.problems).toHaveLength(1);
    expect(reading.problems[0]).toContain('"20 minutes" in "20 minutes without an update"');
  });
});
