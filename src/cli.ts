import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseISO } from 'date-fns';
import { formatDoctor, runDoctor } from './doctor.ts';
import type { LintOptions } from './runbooks/lint.ts';
import { type LoadedRunbooks, loadRunbooks } from './runbooks/loader.ts';
import { buildMatrix, matrixMarkdown, matrixText } from './runbooks/matrix.ts';
import type { Runbook, RunbookIssue } from './runbooks/model.ts';
import { parseRunbook } from './runbooks/parse.ts';
import { readDrills } from './store/inspect.ts';

const USAGE = `Usage: incident-bot <command> [options]

Commands:
  lint [dir] [--json]             check runbooks against the quality checklist (exit 1 on errors)
  list [dir] [--json]             one line per runbook file: steps, commands, checks, problems
  show <file or RUN-ID> [--json]  the parsed runbook (looks up IDs in --dir, default ./runbooks)
  doctor [--json]                 check config, Slack token and scopes, channels, user groups, database,
                                  runbooks and webhook secrets (exit 1 on any failure)
  matrix [dir] [--json|--markdown]
                                  alert and scenario -> runbook, severity, response time; linked IDs
                                  (exit 1 when a monitored alert has no runbook)

Options:
  --dir <dir>        runbook directory for show (default: $RUNBOOKS_DIR or ./runbooks)
  --today <date>     treat this YYYY-MM-DD as today for the Last Tested check
  --max-age <days>   Last Tested older than this is stale (default: policy review_interval or 90)
`;

export interface CliIO {
  out: (text: string) => unknown;
  err: (text: string) => unknown;
}

/** Runs the CLI and returns the exit code; I/O is injected so tests call it in-process. */
export function runCli(
  argv: string[],
  io: CliIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): number | Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, target] = positionals;
  if (!command || values.help) {
    (command ? io.out : io.err)(USAGE);
    return command ? 0 : 2;
  }
  const defaultDir = process.env.RUNBOOKS_DIR || './runbooks';
  const today = values.today ? parseISO(values.today) : new Date();
  if (Number.isNaN(today.getTime())) {
    io.err(`--today "${values.today}" is not a date: write it as YYYY-MM-DD\n`);
    return 2;
  }
  const load = (dir: string): LoadedRunbooks | null => {
    if (!existsSync(dir)) {
      io.err(
        `${dir}: no such directory. Give the runbook directory, e.g. incident-bot ${command} runbooks\n`,
      );
      return null;
    }
    // Drills run with the bot count as tests of their runbook.
    const drilledAt = readDrills(process.env.DATABASE_PATH || './data/incident-bot.db');
    const options = (maxAgeDays: number): LintOptions => ({ today, maxAgeDays, drilledAt });
    const first = loadRunbooks(dir, options(Number(values['max-age'] ?? 90)), false);
    // The review interval comes from policy.yml unless given on the command line.
    const policyDays = first.policy.policy
      ? Math.round(first.policy.policy.review_interval / 86_400_000)
      : 90;
    return values['max-age'] || policyDays === 90 ? first : loadRunbooks(dir, options(policyDays), false);
  };

  switch (command) {
    case 'lint': {
      const loaded = load(target ?? defaultDir);
      if (!loaded) return 2;
      const errors = loaded.issues.filter((i) => i.level === 'error').length;
      if (values.json)
        io.out(
          `${JSON.stringify({ files: loaded.files.length, errors, warnings: loaded.issues.length - errors, issues: loaded.issues }, null, 2)}\n`,
        );
      else io.out(formatIssues(loaded));
      return errors > 0 ? 1 : 0;
    }
    case 'list': {
      const loaded = load(target ?? defaultDir);
      if (!loaded) return 2;
      const rows = loaded.files.map((f) => summary(f.file, f.parsed?.runbook ?? null, f.issues));
      if (values.json) io.out(`${JSON.stringify(rows, null, 2)}\n`);
      else
        io.out(
          `${rows
            .map(
              (r) =>
                `${r.id.padEnd(12)} ${String(r.steps).padStart(3)} steps ${String(r.errors).padStart(2)} errors ${String(r.warnings).padStart(2)} warnings  ${r.title} (${r.file})`,
            )
            .join('\n')}\n`,
        );
      return 0;
    }
    case 'show': {
      if (!target) {
        io.err(`show needs a file or a RUN- ID, e.g. incident-bot show RUN-001\n\n${USAGE}`);
        return 2;
      }
      const runbook = findRunbook(target, values.dir ?? defaultDir, load);
      if (typeof runbook === 'string') {
        io.err(`${runbook}\n`);
        return 1;
      }
      const { meta: _meta, ...contract } = runbook;
      io.out(
        values.json
          ? `${JSON.stringify({ ...contract, steps: contract.steps.map(({ line: _line, ...s }) => s) }, null, 2)}\n`
          : formatRunbook(runbook),
      );
      return 0;
    }
    case 'doctor':
      // Talks to Slack and the database, so it is the one asynchronous command.
      return runDoctor().then((checks) => {
        io.out(values.json ? `${JSON.stringify(checks, null, 2)}\n` : formatDoctor(checks));
        return checks.every((c) => c.ok) ? 0 : 1;
      });
    case 'matrix': {
      const loaded = load(target ?? defaultDir);
      if (!loaded) return 2;
      const runbooks = loaded.files.flatMap((f) => (f.parsed ? [f.parsed.runbook] : []));
      const matrix = buildMatrix(runbooks, loaded.policy.policy);
      if (values.json) io.out(`${JSON.stringify(matrix, null, 2)}\n`);
      else io.out(values.markdown ? matrixMarkdown(matrix) : matrixText(matrix));
      return matrix.uncovered.length > 0 ? 1 : 0;
    }
    default:
      io.err(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      dir: { type: 'string' },
      today: { type: 'string' },
      'max-age': { type: 'string' },
    },
  });
}

function findRunbook(
  target: string,
  dir: string,
  load: (d: string) => LoadedRunbooks | null,
): Runbook | string {
  if (existsSync(target)) return parseRunbook(readFileSync(target, 'utf8'), target).runbook;
  const loaded = load(dir);
  if (!loaded) return `${dir}: no runbook directory to look up ${target} in`;
  const found = loaded.files.find((f) => f.parsed?.runbook.id.toUpperCase() === target.toUpperCase());
  return (
    found?.parsed?.runbook ??
    `${target}: no such file, and no runbook with that ID in ${resolve(dir)}. Try: incident-bot list ${dir}`
  );
}

export function summary(file: string, rb: Runbook | null, issues: RunbookIssue[]) {
  return {
    id: rb?.id ?? file,
    title: rb?.title ?? '',
    file,
    layout: rb?.source.layout ?? null,
    steps: rb?.steps.length ?? 0,
    commands: rb?.steps.reduce((n, s) => n + s.commands.length, 0) ?? 0,
    verifications: rb?.steps.reduce((n, s) => n + s.verifications.length, 0) ?? 0,
    errors: issues.filter((i) => i.level === 'error').length,
    warnings: issues.filter((i) => i.level === 'warning').length,
  };
}

function formatIssues(loaded: LoadedRunbooks): string {
  const lines = loaded.issues.map((i) => `${i.file}:${i.line}: ${i.level} [${i.rule}] ${i.message}`);
  const errors = loaded.issues.filter((i) => i.level === 'error').length;
  lines.push(`${loaded.files.length} runbooks, ${errors} errors, ${loaded.issues.length - errors} warnings`);
  return `${lines.join('\n')}\n`;
}

function formatRunbook(rb: Runbook): string {
  const out = [`${rb.id}: ${rb.title}  [${rb.source.layout}] ${rb.source.file}`];
  if (rb.owner) out.push(`Owner: ${rb.owner}`);
  if (rb.trigger) out.push(`Trigger: ${rb.trigger}`);
  for (const step of rb.steps) {
    out.push('', `Step ${step.number}: ${step.title}`);
    if (step.text) out.push(step.text);
    for (const c of step.commands) out.push(`  $ ${c.code.split('\n').join('\n    ')}`);
    for (const v of step.verifications) out.push(`  [ ] ${v}`);
  }
  return `${out.join('\n')}\n`;
}

const invokedDirectly =
  process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) process.exitCode = await runCli(process.argv.slice(2));
