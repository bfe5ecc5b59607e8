import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}

const RUNBOOK = `# RUN-070: Queue stuck
Owner: SRE
Last Tested: 2026-11-01

## Scope
- **Handles**: a stuck queue
- **Does NOT handle**: broker outages (see RUN-071)

## Procedure

### Step 1: Restart the consumer
\`\`\`bash
kubectl rollout restart deploy/consumer
\`\`\`
Verification:
- [ ] queue depth falls

## Escalation
- **Who to contact**: @queue-team
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A runbook folder: RUN-070 (clean but for one warning), RUN-071, and a README.md. */
function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'cli-'));
  dirs.push(d);
  writeFileSync(join(d, 'RUN-070-queue.md'), RUNBOOK);
  writeFileSync(
    join(d, 'RUN-071-broker.md'),
    RUNBOOK.replace('RUN-070: Queue stuck', 'RUN-071: Broker down').replace(' (see RUN-071)', ''),
  );
  writeFileSync(join(d, 'README.md'), '# Our runbooks\n\nSee RUN-070.\n');
  return d;
}

describe('incident-bot --help, --version and usage errors', () => {
  it('prints the help on stdout with exit 0, for the tool and for each command', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await run(args);
      expect(r, args.join(' ')).toMatchObject({ code: 0, err: '' });
      expect(r.out).toMatch(/^Usage: incident-bot <command> \[options\]/);
      expect(r.out).toContain('  2  bad usage: unknown command or option');
    }
    const lint = await run(['lint', '--help']);
    expect(lint).toMatchObject({ code: 0, err: '' });
    expect(lint.out).toMatch(/^Usage: incident-bot lint \[file or dir\] \[--json\] \[--strict\]/);
    expect((await run(['help', 'doctor'])).out).toMatch(
      /^Usage: incident-bot doctor \[--offline\] \[--json\]/,
    );
  });

  it('prints the version of package.json on stdout with exit 0', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, out: `incident-bot ${pkg.version}\n`, err: '' });
    expect(await run(['-V'])).toEqual({ code: 0, out: `incident-bot ${pkg.version}\n`, err: '' });
  });

  it('answers no command with the usage on stderr and exit 2', async () => {
    const r = await run([]);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(/^incident-bot: give a command\nUsage: incident-bot <command>/);
  });

  it("answers an unknown flag with one line and that command's usage line, exit 2", async () => {
    const r = await run(['lint', '--stirct']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'incident-bot lint: unknown option --stirct\nUsage: incident-bot lint [file or dir] [--json] [--strict] [--max-warnings N] [--today YYYY-MM-DD] [--max-age DAYS]\n',
    );
    expect((await run(['doctor', '-x'])).err).toBe(
      'incident-bot doctor: unknown option -x\nUsage: incident-bot doctor [--offline] [--json]\n',
    );
    expect((await run(['show', 'RUN-1', '--dir'])).err).toMatch(
      /^incident-bot show: --dir needs a value \(DIR\)\nUsage: incident-bot show </,
    );
    expect((await run(['lint', '--json=yes'])).code).toBe(2);
    expect((await run(['list', 'a', 'b'])).err).toMatch(/^incident-bot list: give one file or directory/);
    expect((await run(['doctor', 'runbooks'])).err).toMatch(/^incident-bot doctor: takes no arguments/);
  });

  it('answers usage errors with JSON on stdout under --json', async () => {
    const r = await run(['lint', '--nope', '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual({
      ok: false,
      error: {
        message: 'incident-bot lint: unknown option --nope',
        file: null,
        line: null,
        usage:
          'Usage: incident-bot lint [file or dir] [--json] [--strict] [--max-warnings N] [--today YYYY-MM-DD] [--max-age DAYS]',
      },
    });
  });
});

describe('incident-bot on files and folders', () => {
  it('lints one file in the context of its folder, with only that file in the result', async () => {
    const d = folder();
    const r = await run(['lint', join(d, 'RUN-070-queue.md'), '--today', '2026-11-22']);
    expect(r).toMatchObject({ code: 0, err: '' });
    // RUN-071 exists in the folder, so the reference resolves.
    expect(r.out).toBe('1 runbooks, 0 errors, 0 warnings\n');
  });

  it('lints a README.md named on the command line, which a folder run leaves out', async () => {
    const d = folder();
    const r = await run(['lint', join(d, 'README.md'), '--json', '--today', '2026-11-22']);
    const body = JSON.parse(r.out) as { files: number; issues: { file: string; rule: string }[] };
    expect(body.files).toBe(1);
    expect(new Set(body.issues.map((i) => i.file))).toEqual(new Set([join(d, 'README.md')]));
    expect(body.issues.map((i) => i.rule)).toContain('actionable');
    expect(JSON.parse((await run(['list', d, '--json'])).out)).toHaveLength(2);
  });

  it('lists and shows a single file', async () => {
    const d = folder();
    const list = JSON.parse((await run(['list', join(d, 'RUN-071-broker.md'), '--json'])).out) as {
      id: string;
    }[];
    expect(list.map((r) => r.id)).toEqual(['RUN-071']);
    const shown = await run(['show', join(d, 'RUN-070-queue.md'), '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({
      id: 'RUN-070',
      source: { file: join(d, 'RUN-070-queue.md') },
    });
  });

  it('shows a folder as a JSON array of every runbook, each with source.file', async () => {
    const d = folder();
    const r = await run(['show', d, '--json']);
    expect(r.code).toBe(0);
    const all = JSON.parse(r.out) as { id: string; source: { file: string }; steps: unknown[] }[];
    expect(all.map((rb) => [rb.id, rb.source.file])).toEqual([
      ['RUN-070', join(d, 'RUN-070-queue.md')],
      ['RUN-071', join(d, 'RUN-071-broker.md')],
    ]);
    expect(Object.keys(all[0] as object)).toEqual(
      Object.keys(JSON.parse((await run(['show', 'RUN-070', '--dir', d, '--json'])).out)),
    );
    expect(all[0]?.steps).toHaveLength(1);
  });

  it('says what is wrong with a path in one line, exit 2, never a stack trace', async () => {
    const d = folder();
    const missing = join(d, 'RUN-099.md');
    for (const command of ['lint', 'list', 'show', 'matrix', 'preview']) {
      const r = await run([command, missing]);
      expect(r.code, command).toBe(2);
      expect(r.err, command).toBe(
        `${missing}: no such file or directory: give a runbook file or folder, e.g. incident-bot ${command} runbooks\n`,
      );
      const json = await run([command, missing, '--json']);
      expect(JSON.parse(json.out).error, command).toMatchObject({ file: missing, line: null });
    }
    expect((await run(['show', 'RUN-099', '--dir', d])).err).toBe(
      `RUN-099: no such file, and no runbook with that ID in ${d}. Try: incident-bot list ${d}\n`,
    );
    expect((await run(['preview', d])).err).toMatch(/: is a folder: give one runbook file or ID/);
  });

  it('reports an empty file as an error with file:line, exit 1', async () => {
    const d = folder();
    const empty = join(d, 'RUN-072-empty.md');
    writeFileSync(empty, '');
    const lint = await run(['lint', empty]);
    expect(lint.code).toBe(1);
    expect(lint.out).toContain(
      `${empty}:1: error [empty] the file is empty: write the runbook, or delete the file`,
    );
  });

  it('names the YAML problem in full, not cut off after "at line N, column M:"', async () => {
    const d = folder();
    writeFileSync(join(d, 'RUN-073-bad.md'), `---\nseverity: P1\ntriggers: { alerts: [a }\n---\n${RUNBOOK}`);
    const r = await run(['lint', join(d, 'RUN-073-bad.md')]);
    const line = r.out.split('\n').find((l) => l.includes('[front-matter]')) ?? '';
    expect(line).toMatch(
      /RUN-073-bad\.md:3: error \[front-matter\] front matter is not valid YAML: .+ \(column \d+: ".*"\)$/,
    );
    expect(line).not.toMatch(/column \d+:$/);
  });
});

describe('incident-bot lint --strict and --max-warnings', () => {
  it('exits 0 on warnings alone, 1 with --strict, and 1 only past --max-warnings N', async () => {
    const d = folder();
    writeFileSync(join(d, 'RUN-070-queue.md'), RUNBOOK.replace('Owner: SRE\n', ''));
    const args = ['lint', d, '--today', '2026-11-22'];
    const plain = await run(args);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('[maintained] no owner');
    expect(plain.out.trimEnd().split('\n').at(-1)).toBe('2 runbooks, 0 errors, 1 warnings');
    const strict = await run([...args, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.out.trimEnd().split('\n').at(-1)).toBe(
      'failed: 1 warnings, more than the 0 allowed (--strict allows none)',
    );
    expect((await run([...args, '--max-warnings', '1'])).code).toBe(0);
    expect((await run([...args, '--max-warnings', '0'])).code).toBe(1);
    const json = JSON.parse((await run([...args, '--strict', '--json'])).out);
    expect(json).toMatchObject({ files: 2, errors: 0, warnings: 1, maxWarnings: 0, failed: true });
    expect((await run([...args, '--max-warnings', 'many'])).err).toBe(
      '--max-warnings "many" is not a whole number: write it as e.g. --max-warnings 10\n',
    );
  });

  it('passes the shipped runbooks with --strict (CI runs it so)', async () => {
    const r = await run(['lint', 'runbooks', '--strict', '--today', '2026-12-01']);
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/^\d+ runbooks, 0 errors, 0 warnings$/);
    expect(r.code).toBe(0);
  });
});
