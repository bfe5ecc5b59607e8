import { describe, expect, it } from 'vitest';
import { formatTime, type PostmortemInput, postmortemDocument } from '../../src/domain/postmortem.ts';
import { responseStats } from '../../src/domain/stats.ts';

/** The Slack date token the document writes for an instant, with its written-out fallback. */
const token = (iso: string, fallback: string) =>
  `<!date^${Date.parse(iso) / 1000}^{date_short_pretty} {time}|${fallback}>`;

const input: PostmortemInput = {
  incident: {
    id: 12,
    title: 'Checkout | payments failing',
    severity: 'P1',
    status: 'resolved',
    description: '',
    commanderId: 'U0IC',
    declaredBy: 'U0DEC',
    declaredAt: '2026-11-22T10:00:00.000Z',
    acknowledgedAt: '2026-11-22T10:04:00.000Z',
    resolvedAt: '2026-11-22T11:30:00.000Z',
    drill: false,
  },
  runbook: { id: 'RUN-001', title: 'Database Connection Pool Exhaustion', owner: 'Backend Team' },
  timeline: [
    {
      at: '2026-11-22T09:55:00.000Z',
      actor: 'alertmanager',
      kind: 'alert',
      text: 'PostgresConnectionPoolHigh firing',
      data: null,
    },
    {
      at: '2026-11-22T10:00:00.000Z',
      actor: 'U0DEC',
      kind: 'declared',
      text: 'Declared P1: Checkout | payments failing',
      data: null,
    },
    {
      at: '2026-11-22T10:40:00.000Z',
      actor: 'U0IC',
      kind: 'status',
      text: 'Status identified → monitoring',
      data: { from: 'identified', to: 'monitoring' },
    },
    {
      at: '2026-11-22T10:50:00.000Z',
      actor: 'U0IC',
      kind: 'escalation',
      text: 'Escalated to Leadership',
      data: null,
    },
  ],
  steps: [
    {
      section: 'step',
      number: 1,
      title: 'Confirm pool saturation',
      state: 'done',
      completedBy: 'U0A',
      completedAt: '2026-11-22T10:10:00.000Z',
      skipReason: null,
      skippedBy: null,
    },
    {
      section: 'step',
      number: 2,
      title: 'Kill idle sessions',
      state: 'skipped',
      completedBy: null,
      completedAt: null,
      skipReason: 'no superuser',
      skippedBy: 'U0B',
    },
    {
      section: 'prerequisites',
      number: null,
      title: 'Prerequisites',
      state: 'pending',
      completedBy: null,
      completedAt: null,
      skipReason: null,
      skippedBy: null,
    },
  ],
  followups: [
    { text: 'Alert on pool usage at 70%', ownerId: 'U0ALICE', dueDate: '2026-12-01', doneAt: null },
  ],
  timezone: 'America/New_York',
};

describe('postmortemDocument', () => {
  const doc = postmortemDocument(input);

  it('shows every time in UTC with the team zone beside it', () => {
    expect(formatTime('2026-11-22T10:00:00.000Z', 'America/New_York')).toBe(
      '2026-11-22 10:00 UTC (05:00 EST)',
    );
    expect(formatTime('2026-11-22T10:00:00.000Z', 'UTC')).toBe('2026-11-22 10:00 UTC');
  });

  it('names people with mentions and writes no raw ISO instant', () => {
    const withDue = postmortemDocument({
      ...input,
      timeline: [
        ...input.timeline,
        {
          at: '2026-11-22T11:30:00.000Z',
          actor: 'bot',
          kind: 'postmortem_scheduled',
          text: 'Post-mortem due 2026-12-05T08:22:19.486Z',
          data: null,
        },
      ],
    });
    expect(withDue).toContain('- **Incident commander:** <@U0IC>');
    expect(withDue).toContain('- **Declared by:** <@U0DEC>');
    expect(withDue).toContain(
      '| 2026-11-22 10:40 UTC (05:40 EST) | <@U0IC> | Status identified → monitoring |',
    );
    expect(withDue).toContain(
      '| 2026-11-22 11:30 UTC (06:30 EST) | Incident Bot | Post-mortem due 2026-12-05 08:22 UTC (03:22 EST) |',
    );
    expect(withDue).toContain(
      '| 2026-11-22 09:55 UTC (04:55 EST) | alertmanager | PostgresConnectionPoolHigh firing |',
    );
    expect(withDue).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it('reconstructs the key moments and durations', () => {
    expect(doc).toContain('| Detected | 2026-11-22 09:55 UTC (04:55 EST) |');
    expect(doc).toContain('| Acknowledged (commander) | 2026-11-22 10:04 UTC (05:04 EST) |');
    expect(doc).toContain('| Mitigated | 2026-11-22 10:40 UTC (05:40 EST) |');
    expect(doc).toContain('- Time to acknowledge: 4 min');
    expect(doc).toContain('- Time to resolve: 1 h 30 min');
    expect(doc).toContain('- Duration of user impact (detected to resolved): 1 h 35 min');
  });

  it('lists the whole timeline in order, evidence, steps with reasons, escalations and action items', () => {
    const order = input.timeline.map((e) => doc.indexOf(`| ${e.text.replace('|', '\\|')} |`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(doc).toContain('# Post-mortem: incident #12 — Checkout \\| payments failing');
    expect(doc).toContain(
      `- ${token('2026-11-22T09:55:00.000Z', '2026-11-22 09:55 UTC (04:55 EST)')} — PostgresConnectionPoolHigh firing`,
    );
    expect(doc).toContain(
      `- ✅ Step 1: Confirm pool saturation — done by <@U0A> at ${token('2026-11-22T10:10:00.000Z', '2026-11-22 10:10 UTC (05:10 EST)')}`,
    );
    expect(doc).toContain('- ⏭️ Step 2: Kill idle sessions — skipped by <@U0B>: no superuser');
    expect(doc).not.toContain('Prerequisites —');
    expect(doc).toContain(
      `- ${token('2026-11-22T10:50:00.000Z', '2026-11-22 10:50 UTC (05:50 EST)')} — Escalated to Leadership (<@U0IC>)`,
    );
    expect(doc).toContain('- [ ] Alert on pool usage at 70% -> <@U0ALICE> -> 2026-12-01');
    for (const heading of ['## Root cause analysis', '## Impact', '## Prevention', '## Action items'])
      expect(doc).toContain(heading);
  });
});

describe('responseStats', () => {
  it('gives MTTA and MTTR per severity', () => {
    const stats = responseStats([
      {
        severity: 'P1',
        declaredAt: '2026-11-01T00:00:00Z',
        acknowledgedAt: '2026-11-01T00:10:00Z',
        resolvedAt: '2026-11-01T02:00:00Z',
      },
      {
        severity: 'P1',
        declaredAt: '2026-11-02T00:00:00Z',
        acknowledgedAt: '2026-11-02T00:20:00Z',
        resolvedAt: null,
      },
    ]);
    expect(stats[1]).toEqual({
      severity: 'P1',
      incidents: 2,
      acknowledged: 2,
      resolved: 1,
      mttdMs: null,
      mttaMs: 900_000,
      mttmMs: null,
      mttrMs: 7_200_000,
    });
    expect(stats[0]).toEqual({
      severity: 'P0',
      incidents: 0,
      acknowledged: 0,
      resolved: 0,
      mttdMs: null,
      mttaMs: null,
      mttmMs: null,
      mttrMs: null,
    });
  });
});
