import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli.ts';
import type { ResponseMatrix } from '../../src/runbooks/matrix.ts';
import { runbooksDir } from '../support/testRunbooks.ts';

const run = (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
};
const shippedPolicy = parse(readFileSync('runbooks/policy.yml', 'utf8')) as { monitored_alerts: string[] };

describe('incident-bot matrix', () => {
  it('maps every alert the shipped policy monitors to its runbook, with severity and response time', () => {
    const { code, out } = run(['matrix', 'runbooks', '--json']);
    expect(code).toBe(0);
    const matrix = JSON.parse(out) as ResponseMatrix;
    expect(matrix.uncovered).toEqual([]);
    const monitored = matrix.alerts.filter((a) => a.monitored).map((a) => a.alert);
    expect(monitored.sort()).toEqual([...shippedPolicy.monitored_alerts].sort());
    expect(matrix.alerts.find((a) => a.alert === 'PostgresConnectionPoolHigh')).toEqual({
      alert: 'PostgresConnectionPoolHigh',
      runbooks: [{ id: 'RUN-001', title: 'Database Connection Pool Exhaustion' }],
      severity: 'P1',
      responseTime: '1 h',
      monitored: true,
    });
    const run001 = matrix.references.find((r) => r.id === 'RUN-001');
    expect(run001?.links.MON).toContain('MON-005');
    expect(run001?.dangling).toEqual([]);
  });

  it('flags a monitored alert without a runbook (exit 1) and a reference to a missing runbook', () => {
    const dir = runbooksDir(
      `${readFileSync('runbooks/policy.yml', 'utf8').replace('monitored_alerts:', 'monitored_alerts:\n  - KafkaBrokerDown')}`,
    );
    writeFileSync(
      join(dir, 'RUN-001-database-connection-pool-exhaustion.md'),
      readFileSync('runbooks/RUN-001-database-connection-pool-exhaustion.md', 'utf8').replace(
        'Linked IDs:',
        'Linked IDs: RUN-099 (kafka),',
      ),
    );
    const { code, out } = run(['matrix', dir, '--markdown']);
    expect(code).toBe(1);
    expect(out).toContain('| KafkaBrokerDown | **none: add a runbook** |');
    expect(out).toContain('**Monitored alerts without a runbook:** KafkaBrokerDown');
    expect(out).toMatch(/\| RUN-001 \|.*\| \*\*RUN-099\*\* \|/);
    expect(run(['lint', dir]).out).toMatch(
      /RUN-001-database-connection-pool-exhaustion\.md:\d+: warning \[dangling-reference\] mentions RUN-099/,
    );
  });
});
