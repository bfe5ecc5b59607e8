import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { lintRunbook } from '../../src/runbooks/lint.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';

const TODAY = new Date('2026-11-22T12:00:00Z');
const lint = (source: string, file = 'runbooks/RUN-050-x.md') =>
  lintRunbook(parseRunbook(source, file), { today: TODAY, maxAgeDays: 90 });

const GOOD = `# RUN-050: Cache flush
Category: Incident
Owner: SRE
Last Tested: 2026-11-01

## Scope
- **Handles**: stale cache entries
- **Does NOT handle**: Redis outages (see RUN-051)

## Procedure

### Step 1: Flush the cache
Commands:
\`\`\`bash
redis-cli -n 2 FLUSHDB
\`\`\`

Verification:
- [ ] \`redis-cli -n 2 DBSIZE\` returns 0

## Escalation
- **When to escalate**: errors persist > 15 minutes
- **Who to contact**: @cache-team
- **What to provide**: redis-cli INFO output
`;

describe('lintRunbook', () => {
  it('passes a complete runbook without findings', () => {
    expect(lint(GOOD)).toEqual([]);
  });

  it('flags a step without verification and a missing escalation, each with file and line', () => {
    const source = `${GOOD.split('## Escalation')[0]}### Step 2: Restart the workers
Commands:
\`\`\`bash
kubectl rollout restart deployment/workers -n app
\`\`\`
`;
    expect(lint(source)).toEqual([
      {
        level: 'warning',
        rule: 'verifiable',
        file: 'runbooks/RUN-050-x.md',
        line: 21,
        message: 'step 2 "Restart the workers" has no verification: add "Verification:" with - [ ] checks',
      },
      {
        level: 'warning',
        rule: 'escalatable',
        file: 'runbooks/RUN-050-x.md',
        line: 1,
        message: 'no escalation: add ## Escalation with When to escalate / Who to contact / What to provide',
      },
    ]);
  });

  it('flags vague steps, missing commands, stale tests, missing owner and scope', () => {
    const source = `# RUN-051: Something
Last Tested: 2026-01-02

## Procedure

### Step 1: Investigate the issue

Verification:
- [ ] It works
`;
    const rules = lint(source).map((i) => `${i.rule}@${i.line}`);
    expect(rules).toEqual([
      'complete@6',
      'vague-step@6',
      'scoped@1',
      'escalatable@1',
      'maintained@1',
      'tested@2',
    ]);
    expect(lint(source).find((i) => i.rule === 'tested')?.message).toBe(
      'last tested 324 days ago (more than 90): drill it and update Last Tested',
    );
  });

  it('flags more than 50 steps, and check text longer than Slack shows', () => {
    const steps = Array.from(
      { length: 51 },
      (_, i) =>
        `### Step ${i + 1}: Run task ${i + 1}\n\`\`\`bash\necho ${i}\n\`\`\`\nVerification:\n- [ ] ${'x'.repeat(i === 0 ? 80 : 5)}\n`,
    ).join('\n');
    const rules = lint(GOOD.replace(/### Step 1[\s\S]*?## Escalation/, `${steps}\n## Escalation`)).map(
      (i) => i.rule,
    );
    expect(rules).toEqual(['too-many-steps', 'check-too-long']);
  });

  it('counts a drill as a test', () => {
    const stale = GOOD.replace('2026-11-01', '2025-01-01');
    const parsed = parseRunbook(stale, 'x.md');
    expect(lintRunbook(parsed, { today: TODAY, maxAgeDays: 90 }).map((i) => i.rule)).toEqual(['tested']);
    const drilled = new Map([['RUN-050', new Date('2026-11-20')]]);
    expect(lintRunbook(parsed, { today: TODAY, maxAgeDays: 90, drilledAt: drilled })).toEqual([]);
  });

  it('gives zero steps and a warning, not an exception, for a stub', () => {
    const issues = lint(
      '# OldAlert\n\nThis alert has been moved to [NewAlert](./NewAlert.md).\n',
      'OldAlert.md',
    );
    expect(issues[0]).toEqual({
      level: 'warning',
      rule: 'actionable',
      file: 'OldAlert.md',
      line: 1,
      message: 'no steps found (it points to ./NewAlert.md): add a Procedure with ### Step N headings',
    });
  });
});

describe('incident-bot lint / list / show', () => {
  const run = (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join(''), err: err.join('') };
  };
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'runbooks-'));
    writeFileSync(join(d, 'RUN-050-cache.md'), GOOD);
    return d;
  };

  it('exits 0 on warnings only, and 1 naming the file when front matter is invalid', () => {
    const d = dir();
    expect(run(['lint', d, '--today', '2026-11-22']).code).toBe(0);
    writeFileSync(
      join(d, 'RUN-052-bad.md'),
      `---\nseverity: urgent\n---\n${GOOD.replace('RUN-050', 'RUN-052')}`,
    );
    const result = run(['lint', d, '--today', '2026-11-22']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/RUN-052-bad\.md:2: error \[front-matter\] front matter severity:/);
    expect(result.out).toMatch(/2 runbooks, 1 errors/);
  });

  it('reports a broken file and still lists the others', () => {
    const d = dir();
    writeFileSync(join(d, 'RUN-052-bad.md'), '---\ntriggers: [\n---\n# RUN-052: Bad\n');
    const { code, out } = run(['list', d, '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { id: string; errors: number; steps: number }[];
    expect(rows.map((r) => [r.id, r.steps, r.errors])).toEqual([
      ['RUN-050', 1, 0],
      ['RUN-052', 0, 1],
    ]);
    expect(Object.keys(rows[0] as object)).toEqual([
      'id',
      'title',
      'file',
      'layout',
      'steps',
      'commands',
      'verifications',
      'errors',
      'warnings',
    ]);
  });

  it('shows a runbook by ID in the contract shape', () => {
    const d = dir();
    const { code, out } = run(['show', 'RUN-050', '--dir', d, '--json']);
    expect(code).toBe(0);
    const shown = JSON.parse(out);
    expect(Object.keys(shown)).toEqual([
      'id',
      'title',
      'category',
      'trigger',
      'owner',
      'lastTested',
      'severity',
      'scope',
      'prerequisites',
      'steps',
      'escalation',
      'postIncident',
      'linkedIds',
      'source',
      'context',
      'phases',
      'notes',
    ]);
    expect(shown.steps).toEqual([
      {
        number: 1,
        title: 'Flush the cache',
        text: '',
        commands: [{ lang: 'bash', code: 'redis-cli -n 2 FLUSHDB' }],
        verifications: ['redis-cli -n 2 DBSIZE returns 0'],
        warnings: [],
        examples: [],
        options: [],
        jumps: [],
        phase: null,
      },
    ]);
  });

  it('fails the coverage gate when a monitored alert has no runbook', () => {
    const d = dir();
    mkdirSync(join(d, 'sub'));
    const severity = (name: string) =>
      `  ${name}: { name: x, meaning: x, response_time: 1h, update_every: none, escalate_after: none, escalate_to: null }\n`;
    const policy = `channels: { announce: "#i", status: "#s", executive: "#e", escalation: "#x" }\nseverities:\n${['P0', 'P1', 'P2', 'P3'].map(severity).join('')}targets: {}\nmonitored_alerts:\n  - RedisDown\n`;
    writeFileSync(join(d, 'policy.yml'), policy);
    const { code, out } = run(['lint', d, '--today', '2026-11-22']);
    expect(code).toBe(1);
    expect(out).toMatch(
      /policy\.yml:9: error \[alert-coverage\] monitored alert RedisDown maps to no runbook/,
    );
    writeFileSync(join(d, 'policy.yml'), policy.replace(severity('P3'), ''));
    expect(run(['lint', d]).out).toMatch(/policy\.yml:3: error \[policy\] severities\.P3: Invalid input/);
  });

  it('warns about a reference to a runbook that does not exist, with its line', () => {
    const d = dir();
    const result = run(['lint', d, '--today', '2026-11-22']);
    expect(result.out).toContain(
      'RUN-050-cache.md:8: warning [dangling-reference] mentions RUN-051, but no runbook has that ID',
    );
    writeFileSync(
      join(d, 'RUN-051-redis.md'),
      GOOD.replace('RUN-050: Cache flush', 'RUN-051: Redis down').replace('(see RUN-051)', ''),
    );
    expect(run(['lint', d, '--today', '2026-11-22']).out).not.toContain('dangling-reference');
  });

  it('answers an unknown command and a missing argument with usage', () => {
    expect(run(['frobnicate']).err).toMatch(/Unknown command "frobnicate"[\s\S]*Usage: incident-bot/);
    expect(run(['show']).code).toBe(2);
    expect(run(['show', 'RUN-999', '--dir', dir()]).err).toMatch(/no runbook with that ID/);
  });
});

describe('lintRunbook: escalation delays written in prose', () => {
  const withWhen = (when: string, frontMatter = '') =>
    `${frontMatter}${GOOD.replace('errors persist > 15 minutes', when)}`;

  it('names file and line when a duration cannot be read as a delay or a threshold', () => {
    const source = withWhen('escalate 30 minutes in; or errors persist > 15 minutes');
    const file = 'runbooks/RUN-050-x.md';
    const found = lintRunbook(parseRunbook(source, file), { today: TODAY, maxAgeDays: 90 }, source);
    expect(found.filter((f) => f.rule === 'escalation-delay')).toEqual([
      {
        level: 'warning',
        rule: 'escalation-delay',
        file: 'runbooks/RUN-050-x.md',
        line: 22,
        message:
          'cannot tell whether "30 minutes" in "escalate 30 minutes in" is how long to wait before escalating: write "for 30 minutes" or "after 30 minutes" for a delay, or set escalation.after in the front matter',
      },
    ]);
  });

  it('accepts thresholds, deadlines and delays it reads safely', () => {
    expect(lint(withWhen('lag > 30s for 10 minutes'))).toEqual([]);
    expect(lint(withWhen('less than 48 hours to expiry with no issued certificate'))).toEqual([]);
  });

  it('says nothing when the front matter sets escalation.after: the prose is not read then', () => {
    const front = '---\nescalation:\n  after: 20m\n---\n';
    expect(lint(withWhen('escalate 30 minutes in', front))).toEqual([]);
  });
});
