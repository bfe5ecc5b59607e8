import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type Policy, PolicySchema } from '../../src/domain/policy.ts';
import { loadRunbooks } from '../../src/runbooks/loader.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';
import {
  groupByOwner,
  nextReviewAt,
  reviewOwner,
  reviewSchedule,
  runbooksToReview,
} from '../../src/runbooks/review.ts';
import { TEST_POLICY } from '../support/testRunbooks.ts';

function policy(extra = ''): Policy {
  return PolicySchema.parse(parseYaml(`${TEST_POLICY}\n${extra}`));
}

const rb = (id: string, lines: string, frontMatter = '') =>
  parseRunbook(`${frontMatter}# ${id}: Something\n${lines}\n## Procedure\n### Step 1: Do\n`, `${id}.md`)
    .runbook;

describe('the weekly review slot', () => {
  it('defaults to Monday 10:00 in the policy timezone, and is always strictly in the future', () => {
    const utc = reviewSchedule(policy());
    expect(utc).toMatchObject({
      enabled: true,
      day: 'mon',
      hour: 10,
      timezone: 'UTC',
      channel: 'C0ANNOUNCE',
    });
    // Sunday -> the next day; Monday 10:00 exactly -> a week on; Monday 09:59 -> the same morning.
    expect(nextReviewAt(new Date('2026-11-29T12:00:00Z'), utc).toISOString()).toBe(
      '2026-11-30T10:00:00.000Z',
    );
    expect(nextReviewAt(new Date('2026-11-30T10:00:00Z'), utc).toISOString()).toBe(
      '2026-12-07T10:00:00.000Z',
    );
    expect(nextReviewAt(new Date('2026-11-30T09:59:00Z'), utc).toISOString()).toBe(
      '2026-11-30T10:00:00.000Z',
    );
    const ny = reviewSchedule(
      policy('review: { day: fri, hour: 16, timezone: America/New_York, channel: C0REVIEW01 }'),
    );
    expect(ny.channel).toBe('C0REVIEW01');
    // Friday 16:00 in New York in winter is 21:00 UTC.
    expect(nextReviewAt(new Date('2026-11-30T00:00:00Z'), ny).toISOString()).toBe('2026-12-04T21:00:00.000Z');
  });

  it('refuses a bad day or hour, and an owner that is not a Slack ID', () => {
    expect(() => policy('review: { day: someday }')).toThrow();
    expect(() => policy('review: { hour: 24 }')).toThrow();
    expect(() => policy('owners: { Backend Team: backend }')).toThrow();
  });
});

describe('runbooksToReview', () => {
  const p = policy('review_interval: 30d\nowners: { Backend Team: U0BACKEND1, platform team: S0PLATFORM }');
  const now = new Date('2026-11-30T10:00:00Z');
  const fresh = rb('RUN-001', 'Owner: Backend Team\nLast Tested: 2026-11-20');
  const stale = rb('RUN-002', 'Owner: Platform Team\nLast Tested: 2026-10-28');
  const drilled = rb('RUN-004', 'Owner: Security Team\nLast Tested: 2026-09-01');
  const never = rb('RUN-099', '');
  const front = rb(
    'RUN-005',
    'Owner: Backend Team\nLast Tested: 2026-01-01',
    '---\nowner_slack: U0FRONT001\n---\n',
  );

  it('lists the stale, the never tested and the recently skipped, each with why', () => {
    const items = runbooksToReview({
      runbooks: [fresh, stale, drilled, never, front],
      policy: p,
      now,
      drills: new Map([['RUN-004', new Date('2026-11-15T00:00:00Z')]]),
      skipped: [
        {
          runbookId: 'RUN-001',
          incidentId: 7,
          drill: true,
          number: 2,
          title: 'Restart the pool',
          skipReason: 'the command is wrong',
        },
      ],
    });
    expect(items.map((i) => [i.runbook.id, i.reasons])).toEqual([
      [
        'RUN-001',
        [
          '1 step skipped or unclear in drill #7 (last 30 days): step 2 "Restart the pool" (the command is wrong)',
        ],
      ],
      ['RUN-002', ['last tested 33 days ago (review every 30 days)']],
      ['RUN-099', ['never tested or drilled']],
      ['RUN-005', ['last tested 333 days ago (review every 30 days)']],
    ]);
  });

  it('finds the owner in front matter first, then in policy owners (case-insensitive), and groups by owner', () => {
    expect(reviewOwner(front, p)).toEqual({ kind: 'user', id: 'U0FRONT001', name: 'Backend Team' });
    expect(reviewOwner(fresh, p)).toEqual({ kind: 'user', id: 'U0BACKEND1', name: 'Backend Team' });
    expect(reviewOwner(stale, p)).toEqual({ kind: 'group', id: 'S0PLATFORM', name: 'Platform Team' });
    expect(reviewOwner(drilled, p)).toEqual({ kind: 'none', id: null, name: 'Security Team' });
    const items = runbooksToReview({
      runbooks: [stale, drilled, never, front],
      policy: p,
      now,
      drills: new Map(),
      skipped: [],
    });
    expect(
      groupByOwner(items, 'C0REVIEW01').map((b) => [b.channel, b.owner.id, b.items.map((i) => i.runbook.id)]),
    ).toEqual([
      ['C0REVIEW01', 'S0PLATFORM', ['RUN-002']],
      ['C0REVIEW01', null, ['RUN-004', 'RUN-099']],
      ['U0FRONT001', 'U0FRONT001', ['RUN-005']],
    ]);
  });
});

describe('lint: escalation.to names a policy target', () => {
  it('warns with file and line when it does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'escalation-to-'));
    try {
      writeFileSync(join(dir, 'policy.yml'), TEST_POLICY);
      writeFileSync(
        join(dir, 'RUN-001-a.md'),
        '---\nseverity: P1\nescalation:\n  after: 30m\n  to: dba-oncall\n---\n# RUN-001: A\nOwner: X\n## Procedure\n### Step 1: Do\n',
      );
      writeFileSync(
        join(dir, 'RUN-002-b.md'),
        '---\nescalation: { to: leadership }\n---\n# RUN-002: B\nOwner: X\n## Procedure\n### Step 1: Do\n',
      );
      const loaded = loadRunbooks(dir, { today: new Date('2026-11-30'), maxAgeDays: 90 });
      const found = loaded.issues.filter((i) => i.rule === 'escalation-target');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        level: 'warning',
        line: 5,
        file: expect.stringContaining('RUN-001-a.md'),
      });
      expect(found[0]?.message).toContain(
        '"dba-oncall", which is not a target in policy.yml (targets: leadership, legal)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
