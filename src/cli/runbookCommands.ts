import { buildMatrix, matrixMarkdown, matrixText } from '../runbooks/matrix.ts';
import type { Runbook, RunbookIssue } from '../runbooks/model.ts';
import type { CliIO, ParsedCommand } from './args.ts';
import { countFlag, defaultDir, findRunbook, loadTarget, pathKind, runbooksOf } from './targets.ts';

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function lint({ target, flags }: ParsedCommand, io: CliIO): number {
  const loaded = loadTarget(target ?? defaultDir(), flags, 'lint');
  const errors = loaded.issues.filter((i) => i.level === 'error').length;
  const warnings = loaded.issues.length - errors;
  const maxWarnings = flags.strict ? 0 : countFlag(flags, 'max-warnings');
  const tooManyWarnings = maxWarnings !== undefined && warnings > maxWarnings;
  const failed = errors > 0 || tooManyWarnings;
  if (flags.json) {
    io.out(
      json({
        files: loaded.files.length,
        errors,
        warnings,
        issues: loaded.issues,
        ...(maxWarnings === undefined ? {} : { maxWarnings }),
        failed,
      }),
    );
    return failed ? 1 : 0;
  }
  const lines = loaded.issues.map((i) => `${i.file}:${i.line}: ${i.level} [${i.rule}] ${i.message}`);
  lines.push(`${loaded.files.length} runbooks, ${errors} errors, ${warnings} warnings`);
  if (tooManyWarnings)
    lines.push(
      `failed: ${warnings} warnings, more than the ${maxWarnings} allowed${flags.strict ? ' (--strict allows none)' : ''}`,
    );
  io.out(`${lines.join('\n')}\n`);
  return failed ? 1 : 0;
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

export function list({ target, flags }: ParsedCommand, io: CliIO): number {
  const loaded = loadTarget(target ?? defaultDir(), flags, 'list');
  const rows = loaded.files.map((f) => summary(f.file, f.parsed?.runbook ?? null, f.issues));
  if (flags.json) io.out(json(rows));
  else
    io.out(
      rows
        .map(
          (r) =>
            `${r.id.padEnd(12)} ${String(r.steps).padStart(3)} steps ${String(r.errors).padStart(2)} errors ${String(r.warnings).padStart(2)} warnings  ${r.title} (${r.file})\n`,
        )
        .join(''),
    );
  return 0;
}

/** The `show --json` contract of DESIGN.md: the model without machine-only data and source lines. */
export function contractShape(rb: Runbook) {
  const { meta: _meta, ...contract } = rb;
  return { ...contract, steps: contract.steps.map(({ line: _line, ...step }) => step) };
}

export function show({ target, flags }: ParsedCommand, io: CliIO): number {
  const path = target ?? defaultDir();
  const dir = typeof flags.dir === 'string' ? flags.dir : defaultDir();
  const isDir = /^[A-Z][A-Z0-9]*-\d+$/i.test(path) ? false : pathKind(path, 'show') === 'dir';
  if (!isDir) {
    const { runbook } = findRunbook(path, dir, flags, 'show');
    io.out(flags.json ? json(contractShape(runbook)) : formatRunbook(runbook));
    return 0;
  }
  const loaded = loadTarget(path, flags, 'show');
  const runbooks = runbooksOf(loaded);
  io.out(flags.json ? json(runbooks.map(contractShape)) : runbooks.map(formatRunbook).join('\n'));
  // A file that could not be read is missing from the output: say which, and fail.
  const unread = loaded.files.filter((f) => !f.parsed);
  for (const f of unread) for (const i of f.issues) io.err(`${i.file}:${i.line}: ${i.message}\n`);
  return unread.length > 0 ? 1 : 0;
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

export function matrix({ target, flags }: ParsedCommand, io: CliIO): number {
  const loaded = loadTarget(target ?? defaultDir(), flags, 'matrix');
  const result = buildMatrix(runbooksOf(loaded), loaded.policy.policy);
  if (flags.json) io.out(json(result));
  else io.out(flags.markdown ? matrixMarkdown(result) : matrixText(result));
  return result.uncovered.length > 0 ? 1 : 0;
}
