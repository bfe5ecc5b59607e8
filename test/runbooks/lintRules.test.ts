import { describe, expect, it } from 'vitest';
import { lintRunbook } from '../../src/runbooks/lint.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';

const FILE = 'runbooks/RUN-060-x.md';
const TODAY = new Date('2026-11-22T12:00:00Z');

/** The issues of the source-text rules only, as "line rule level". */
function findings(source: string, rules?: string[]): string[] {
  const issues = lintRunbook(parseRunbook(source, FILE), { today: TODAY, maxAgeDays: 90 }, source);
  const wanted = rules ?? [
    'empty',
    'unreadable',
    'unclosed-fence',
    'step-numbers',
    'dangerous-command',
    'shell-placeholder',
  ];
  return issues
    .filter((i) => wanted.includes(i.rule))
    .map((i) => {
      expect(i.file).toBe(FILE);
      return `${i.line} ${i.rule} ${i.level}`;
    });
}

function message(source: string, rule: string): string {
  const issues = lintRunbook(parseRunbook(source, FILE), { today: TODAY, maxAgeDays: 90 }, source);
  return issues.find((i) => i.rule === rule)?.message ?? '';
}

const fence = (code: string, lang = 'bash') => `\`\`\`${lang}\n${code}\n\`\`\``;

describe('source-text lint rules', () => {
  it('reports an empty file and a whitespace-only file as errors at line 1', () => {
    expect(findings('')).toEqual(['1 empty error']);
    expect(findings('\n  \n\t\n')).toEqual(['1 empty error']);
    expect(message('', 'empty')).toBe('the file is empty: write the runbook, or delete the file');
  });

  it('reports a binary or non-UTF-8 file at the line of the first bad byte', () => {
    expect(findings('# RUN-060: X\n\nok\nPNG\u0000\u0001')).toEqual(['4 unreadable error']);
    const latin1 = Buffer.from('# RUN-060: Caf\xe9\n', 'latin1').toString('utf8');
    expect(findings(`intro\n${latin1}`)).toEqual(['2 unreadable error']);
  });

  it('reports a fence that is never closed at its opening line, and not a closed one', () => {
    const open = `# RUN-060: X\n\n### Step 1: Look\n\`\`\`bash\nkubectl get pods\n\n## Escalation\n- who\n`;
    expect(findings(open)).toEqual(['4 unclosed-fence warning']);
    expect(findings(`# RUN-060: X\n${fence('ls')}\n~~~\ncat\n~~~\n`)).toEqual([]);
    // A shorter closing fence does not close a longer one; a ~~~ does not close ```.
    expect(findings('# X\n````\ncode\n```\n~~~\n')).toEqual(['2 unclosed-fence warning']);
    // Fences inside list items and blockquotes count too.
    expect(findings('# X\n1. Run:\n   ```\n   ls\n   ```\n> ```\n> ls\n')).toEqual([
      '6 unclosed-fence warning',
    ]);
  });

  it('reports a step number used twice at its second heading, naming the first', () => {
    const source = '# X\n## Procedure\n### Step 1: A\n### Step 2: B\n### Step 2: C\n### Step 3: D\n';
    expect(findings(source)).toEqual(['5 step-numbers warning']);
    expect(message(source, 'step-numbers')).toBe(
      'step 2 is numbered twice (also line 4): renumber the steps so "step 2" means one thing',
    );
  });

  it('reports a missing step number at the heading after the gap', () => {
    const source = '# X\n### Step 1: A\n\n### Step 2: B\n\n### Step 4: D\n### Step 5: E\n';
    expect(findings(source)).toEqual(['6 step-numbers warning']);
    expect(message(source, 'step-numbers')).toBe(
      'step 3 is missing (the steps jump to 4): renumber them, or add step 3',
    );
    expect(findings('# X\n### Step 2: B\n')).toEqual(['2 step-numbers warning']);
  });

  it('lets each procedure count from 1, and ignores step headings inside code and sub-steps', () => {
    const two = '# X\n## Option A\n### Step 1: a\n### Step 2: b\n## Option B\n### Step 1: a\n### Step 2: b\n';
    expect(findings(two)).toEqual([]);
    expect(findings(`# X\n### Step 1: a\n${fence('### Step 1: not a heading', 'markdown')}\n`)).toEqual([]);
    expect(findings('# X\n### Step 0.1\n### Step 0.2\n### Step 1: a\n### Step 2: b\n')).toEqual([]);
  });

  it('flags each dangerous command in a fence with no warning near it, at the command line', () => {
    const cases: [string, string][] = [
      ['rm -rf /var/lib/app/cache', 'rm -rf'],
      ['sudo rm -r -f /data', 'rm -rf'],
      ['rm --recursive --force build/', 'rm -rf'],
      ['kubectl -n prod delete pods --all', 'kubectl delete --all'],
      ['kubectl delete namespace payments', 'kubectl delete namespace'],
      ['psql -c "DROP TABLE sessions"', 'DROP / TRUNCATE'],
      ['TRUNCATE audit_log;', 'DROP / TRUNCATE'],
      ['psql -c "DELETE FROM jobs"', 'DELETE FROM without WHERE'],
      ['redis-cli FLUSHALL', 'FLUSHALL / FLUSHDB'],
      ['dd if=backup.img of=/dev/sdb bs=4M', 'dd to a device'],
      ['terraform destroy -auto-approve', 'terraform destroy'],
      ['git push --force origin main', 'git push --force'],
    ];
    for (const [command, what] of cases) {
      const source = `# X\n### Step 1: Clean up\nThen:\n${fence(`echo start\n${command}`)}\n`;
      expect(findings(source), command).toEqual(['6 dangerous-command warning']);
      expect(message(source, 'dangerous-command'), command).toContain(what);
    }
  });

  it('accepts a dangerous command with a warning above it, or a comment in the block', () => {
    const above = `# X\n### Step 1: Reset\n> **Warning**: this deletes every cached file.\n\n${fence('rm -rf /var/cache/app')}\n`;
    expect(findings(above)).toEqual([]);
    const admonition = `# X\n### Step 1: Reset\n> [!CAUTION]\n> Irreversible.\n\n${fence('DROP DATABASE app;', 'sql')}\n`;
    expect(findings(admonition)).toEqual([]);
    const comment = `# X\n### Step 1\n${fence('# irreversible: deletes the old release\nrm -rf /srv/old')}\n`;
    expect(findings(comment)).toEqual([]);
    // A warning in the previous section does not count for this one.
    const elsewhere = `# X\n### Step 1\nWarning: careful.\n### Step 2\n${fence('rm -rf /srv/old')}\n`;
    expect(findings(elsewhere)).toEqual(['6 dangerous-command warning']);
  });

  it('does not flag harmless look-alikes', () => {
    const safe = [
      'rm -f /tmp/lockfile',
      'rm -r build',
      'kubectl delete pod web-1',
      'kubectl get pods --all-namespaces',
      'DELETE FROM jobs WHERE id = 4;',
      'git push origin main',
      'grep -rf patterns.txt .',
    ];
    expect(findings(`# X\n### Step 1\n${fence(safe.join('\n'))}\n`)).toEqual([]);
    expect(findings('# X\n### Step 1\nNever run rm -rf here by hand.\n')).toEqual([]);
  });

  const shellCheck = (pattern: string, command = "['sh', '-c', 'kubectl logs {pod} | tail']") => `---
diagnostics:
  checks:
    - id: pod_logs
      kind: shell_command
      command: ${command}
      placeholders:
        pod: '${pattern}'
---
# RUN-060: X
`;

  it('rejects a shell placeholder whose pattern accepts shell syntax, at the check line', () => {
    for (const pattern of ['.*', '.+', '[^ ]+', '\\S+', '[a-z0-9;| ]+']) {
      expect(findings(shellCheck(pattern)), pattern).toEqual(['4 shell-placeholder error']);
    }
    expect(message(shellCheck('.*'), 'shell-placeholder')).toContain(
      'pod_logs: {pod} goes into a shell (sh -c) and its pattern .* accepts "x; id"',
    );
  });

  it('accepts a strict pattern, and a permissive one when no shell parses the value', () => {
    expect(findings(shellCheck('[a-z0-9-]+'))).toEqual([]);
    expect(findings(shellCheck('.*', "['kubectl', 'logs', '{pod}']"))).toEqual([]);
    expect(findings(shellCheck('.*', "['bash', '-c', 'kubectl get pods']"))).toEqual([]);
  });
});
