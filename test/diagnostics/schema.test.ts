import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbooks/parse.ts';

const body = `# RUN-901: T\nOwner: x\n\n## Procedure\n### Step 1: Do\nText.\n\nVerification:\n- [ ] done\n`;

function issuesOf(frontMatter: string): string {
  return parseRunbook(`---\n${frontMatter}\n---\n${body}`, 'runbooks/RUN-901.md')
    .issues.map((i) => `${i.file}:${i.line} ${i.message}`)
    .join('\n');
}

describe('diagnostics front matter', () => {
  it('accepts the README example as written', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = /## Diagnostics[\s\S]*?```yaml\n---\n([\s\S]*?)---\n```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const { issues, runbook } = parseRunbook(`---\n${example}---\n${body}`, 'README.md');
    expect(issues.filter((i) => i.rule === 'front-matter')).toEqual([]);
    expect(runbook.meta.diagnostics?.checks.map((c) => c.kind)).toEqual([
      'prometheus_query',
      'http_check',
      'database_query',
      'shell_command',
      'log_search',
    ]);
  });

  it('names file and line for a bad threshold, an unknown check in a decision, a missing remediation', () => {
    const text = issuesOf(
      [
        'severity: P1',
        'diagnostics:',
        '  checks:',
        '    - { id: api, kind: http_check, urls: ["http://127.0.0.1/"], thresholds: { critical: "latency >> 5" } }',
        '  decisions:',
        '    - { when: "db == critical", recommend: [restart] }',
      ].join('\n'),
    );
    expect(text).toContain('runbooks/RUN-901.md:3 ');
    expect(text).toMatch(/threshold "latency >> 5"/);
    expect(text).toMatch(/no check "db"/);
    expect(text).toMatch(/no remediation "restart"/);
  });

  it('rejects an automated remediation with nothing to run and a bad placeholder pattern', () => {
    const text = issuesOf(
      [
        'diagnostics:',
        '  checks:',
        '    - { id: s, kind: shell_command, command: "echo {x}", placeholders: { x: "[a-z" } }',
        '  remediations:',
        '    - { id: fix, title: Fix, kind: automated }',
      ].join('\n'),
    );
    expect(text).toMatch(/not a valid regular expression/);
    expect(text).toMatch(/automated needs a command or an http call/);
  });
});
