import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbooks/parse.ts';

const SEED = 'test/fixtures/runbooks/RUN-001-seed.md';
/** The lossless model's fields for a step with no warning, example, alternative, jump or phase. */
const PLAIN = { warnings: [], examples: [], options: [], jumps: [], phase: null };

describe('the RUN- layout of DESIGN.md', () => {
  const { runbook, issues, lines } = parseRunbook(readFileSync(SEED, 'utf8'), SEED);

  it('reads the header lines, scope, prerequisites, escalation, post-incident and linked IDs', () => {
    expect(issues).toEqual([]);
    expect({ ...runbook, steps: undefined }).toEqual({
      id: 'RUN-001',
      title: 'Database Connection Pool Exhaustion',
      category: 'Incident',
      trigger: 'MON-005 alert (connection pool >90%)',
      owner: 'Backend Team',
      lastTested: '2025-02-20',
      severity: null,
      scope: {
        handles: ['Connection pool exhaustion on the primary database'],
        excludes: ['Replication lag (see RUN-010)'],
      },
      prerequisites: ['psql access to the primary database', 'Grafana dashboard "DB Connections" open'],
      steps: undefined,
      escalation: {
        when: ['Pool usage stays above 90% for more than 30 minutes'],
        who: ['@dba-oncall'],
        what: ['Query output from steps 1 and 2, the pool usage graph'],
      },
      postIncident: [
        'Review the pool size against peak load',
        'Add a statement timeout for the reporting user',
      ],
      linkedIds: ['MON-005', 'DEP-001', 'RISK-008'],
      source: { file: SEED, layout: 'run' },
      context: [],
      phases: [],
      notes: [],
      meta: {
        alerts: [],
        monitors: [],
        service: null,
        components: [],
        symptoms: [],
        escalationAfter: null,
        escalationTo: null,
        ownerSlack: null,
        diagnostics: null,
        redirect: null,
        references: [{ id: 'RUN-010', line: 9 }],
      },
    });
    expect(lines).toEqual({ title: 1, scope: 7, escalation: 67, owner: 4, lastTested: 5 });
  });

  it('reads four steps with their prose, byte-exact SQL and verification checks', () => {
    expect(runbook.steps).toEqual([
      {
        number: 1,
        title: 'Confirm pool saturation',
        text: 'Check how many connections are in use and by whom.',
        commands: [
          {
            lang: 'sql',
            code: "SELECT count(*), state FROM pg_stat_activity GROUP BY state;\nSELECT setting::int AS max_connections FROM pg_settings WHERE name = 'max_connections';",
          },
        ],
        verifications: [
          'Active connections are above 90% of max_connections',
          'The application reports connection timeouts',
        ],
        line: 17,
        ...PLAIN,
      },
      {
        number: 2,
        title: 'Find long-running queries',
        text: '',
        commands: [
          {
            lang: 'sql',
            code: "SELECT pid, now() - query_start AS duration, query\nFROM pg_stat_activity\nWHERE state <> 'idle'\nORDER BY duration DESC\nLIMIT 10;",
          },
        ],
        verifications: ['Queries running longer than 5 minutes are identified'],
        line: 30,
        ...PLAIN,
      },
      {
        number: 3,
        title: 'Terminate idle-in-transaction sessions',
        text: 'Sessions idle in a transaction hold connections without doing work.',
        commands: [
          {
            lang: 'sql',
            code: "SELECT pg_terminate_backend(pid)\nFROM pg_stat_activity\nWHERE state = 'idle in transaction'\n  AND now() - state_change > interval '10 minutes';",
          },
        ],
        verifications: ['Idle-in-transaction count is 0'],
        line: 43,
        ...PLAIN,
      },
      {
        number: 4,
        title: 'Confirm recovery',
        text: '',
        commands: [{ lang: 'sql', code: 'SELECT count(*) FROM pg_stat_activity;' }],
        verifications: ['Pool usage is below 70%', 'Error rate is back to baseline'],
        line: 57,
        ...PLAIN,
      },
    ]);
  });
});

describe('front matter', () => {
  const body =
    '# RUN-009: Cache flush\nOwner: SRE\n\n## Procedure\n\n### Step 1: Flush\n```bash\nredis-cli FLUSHDB\n```\n';

  it('adds triggers, severity, components and symptoms', () => {
    const source = `---\ntriggers:\n  alerts: [RedisMemoryHigh]\n  monitors: [MON-010]\nseverity: P2\nservice: cache\ncomponents: [redis]\nsymptoms: ["slow pages"]\nescalation:\n  after: 15m\n  to: cache-team\n---\n${body}`;
    const { runbook, issues } = parseRunbook(source, 'x.md');
    expect(issues).toEqual([]);
    expect(runbook.severity).toBe('P2');
    expect(runbook.meta).toMatchObject({
      alerts: ['RedisMemoryHigh'],
      monitors: ['MON-010'],
      service: 'cache',
      components: ['redis'],
      symptoms: ['slow pages'],
      escalationAfter: '15m',
      escalationTo: 'cache-team',
    });
    expect(runbook.steps[0]?.line).toBe(18);
  });

  it('reports a wrong type with the file and the line of the key, and still parses the body', () => {
    const source = `---\nservice: cache\nseverity: urgent\n---\n${body}`;
    const { runbook, issues } = parseRunbook(source, 'runbooks/RUN-009.md');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      level: 'error',
      rule: 'front-matter',
      file: 'runbooks/RUN-009.md',
      line: 3,
    });
    expect(issues[0]?.message).toContain('severity');
    expect(runbook.steps).toHaveLength(1);
  });

  it('reports broken YAML with its line instead of throwing', () => {
    const { issues } = parseRunbook(`---\ntriggers: [a\nseverity: P1\n---\n${body}`, 'bad.md');
    expect(issues[0]).toMatchObject({ level: 'error', rule: 'front-matter', file: 'bad.md' });
    expect(issues[0]?.line).toBeGreaterThanOrEqual(2);
    expect(issues[0]?.message).toMatch(/not valid YAML/);
  });

  it('tolerates duplicate keys, as in real Jekyll front matter', () => {
    const { issues, runbook } = parseRunbook(
      `---\nlayout: ops\n\nlayout: docs\ntitle: T\n---\n${body}`,
      'dup.md',
    );
    expect(issues).toEqual([]);
    expect(runbook.steps).toHaveLength(1);
  });

  it('validates the diagnostics block that a later feature executes', () => {
    const diag = `---\ndiagnostics:\n  checks:\n    - id: pool_usage\n      kind: prometheus_query\n      query: sum(pg_connections)\n      thresholds: { warning: ">= 70", critical: "lots" }\n---\n${body}`;
    const { issues } = parseRunbook(diag, 'd.md');
    expect(issues.map((i) => i.message).join('\n')).toMatch(/diagnostics.*comparison/s);
  });
});
