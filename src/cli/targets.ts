import { existsSync, statSync } from 'node:fs';
import { basename, dirname, normalize, resolve } from 'node:path';
import { parseISO } from 'date-fns/parseISO';
import type { RunbookCatalog } from '../runbooks/catalog.ts';
import type { LintOptions } from '../runbooks/lint.ts';
import { type LoadedRunbooks, loadRunbooks, preparseRunbooks } from '../runbooks/loader.ts';
import type { Runbook } from '../runbooks/model.ts';
import { readDrills } from '../store/inspect.ts';
import { CliError, type CommandName } from './args.ts';

export type Flags = Record<string, string | boolean | undefined>;

export function defaultDir(): string {
  return process.env.RUNBOOKS_DIR || './runbooks';
}

function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole number flag, or a CliError naming the flag and what to write. */
export function countFlag(flags: Flags, name: string): number | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new CliError(`--${name} "${value}" is not a whole number: write it as e.g. --${name} 10`);
  return Number(value);
}

function todayOf(flags: Flags): Date {
  const text = stringFlag(flags, 'today');
  if (text === undefined) return new Date();
  const today = parseISO(text);
  if (Number.isNaN(today.getTime()))
    throw new CliError(`--today "${text}" is not a date: write it as YYYY-MM-DD`);
  return today;
}

export type PathKind = 'file' | 'dir';

/** What a path is, or a one-line CliError saying what is wrong with it and what to give instead. */
export function pathKind(path: string, command: CommandName): PathKind {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return 'dir';
    if (stat.isFile()) return 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES')
      throw new CliError('permission denied: run as a user who can read it', { file: path });
    throw new CliError(
      `no such file or directory: give a runbook file or folder, e.g. incident-bot ${command} runbooks`,
      { file: path },
    );
  }
  throw new CliError('not a file or a folder: give a runbook file or folder', { file: path });
}

/**
 * Parses the target's folder in worker threads when it is large and not yet parsed (see preparseRunbooks),
 * so that loadTarget finds it parsed; null, synchronously, when there is nothing worth threads.
 */
export function preparseTarget(target: string): Promise<void> | null {
  let dir: string;
  try {
    dir = statSync(target).isDirectory() ? target : dirname(target);
  } catch {
    return null; // loadTarget reports the missing path
  }
  const extra = dir === target || basename(target) === 'policy.yml' ? [] : [normalize(target)];
  return preparseRunbooks(dir, extra);
}

/**
 * Loads a runbook folder, or one file in the context of its folder (so references to the folder's other
 * runbooks resolve and policy.yml applies); the result then holds only that file and its issues.
 */
export function loadTarget(target: string, flags: Flags, command: CommandName): LoadedRunbooks {
  const kind = pathKind(target, command);
  const path = normalize(target);
  const dir = kind === 'dir' ? path : dirname(path);
  const isPolicy = kind === 'file' && basename(path) === 'policy.yml';
  const extra = kind === 'file' && !isPolicy ? [path] : [];
  let loaded: LoadedRunbooks;
  try {
    loaded = loadWithReviewInterval(dir, flags, extra);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = (error as NodeJS.ErrnoException).path ?? dir;
    throw new CliError(
      code === 'EACCES'
        ? 'permission denied: run as a user who can read the runbook folder'
        : `could not load the runbooks: ${error instanceof Error ? error.message : String(error)}`,
      { file: where },
    );
  }
  if (kind === 'dir') return loaded;
  const key = resolve(path);
  const files = loaded.files.filter((f) => resolve(f.file) === key);
  return { ...loaded, files, issues: loaded.issues.filter((i) => resolve(i.file) === key) };
}

/** The review interval comes from policy.yml unless --max-age gives it; drills count as tests. */
function loadWithReviewInterval(dir: string, flags: Flags, extra: string[]): LoadedRunbooks {
  const today = todayOf(flags);
  const maxAge = countFlag(flags, 'max-age');
  const drilledAt = readDrills(process.env.DATABASE_PATH || './data/incident-bot.db');
  const options = (maxAgeDays: number): LintOptions => ({ today, maxAgeDays, drilledAt });
  const first = loadRunbooks(dir, options(maxAge ?? 90), false, extra);
  if (maxAge !== undefined || !first.policy.policy) return first;
  const policyDays = Math.round(first.policy.policy.review_interval / 86_400_000);
  return policyDays === 90 ? first : loadRunbooks(dir, options(policyDays), false, extra);
}

/** The runbooks that parsed, of a loaded target. */
export function runbooksOf(loaded: LoadedRunbooks): Runbook[] {
  return loaded.files.flatMap((f) => (f.parsed ? [f.parsed.runbook] : []));
}

/**
 * A runbook by file path or by ID (looked up in `dir`): for `show` and `preview`. A file that could not
 * be read is a CliError with its read error.
 */
export function findRunbook(
  target: string,
  dir: string,
  flags: Flags,
  command: CommandName,
): { runbook: Runbook; catalog: RunbookCatalog } {
  const looksLikeId = /^[A-Z][A-Z0-9]*-\d+$/i.test(target);
  if (existsSync(target) || !looksLikeId) {
    if (pathKind(target, command) === 'dir')
      throw new CliError(`is a folder: give one runbook file or ID, e.g. incident-bot ${command} RUN-001`, {
        file: target,
      });
    const loaded = loadTarget(target, flags, command);
    const file = loaded.files[0];
    if (file?.parsed) return { runbook: file.parsed.runbook, catalog: loaded.catalog };
    const problem = file?.issues[0];
    throw new CliError(problem?.message ?? 'not a runbook file', { file: target, line: problem?.line }, 1);
  }
  const loaded = loadTarget(dir, flags, command);
  const found = runbooksOf(loaded).find((rb) => rb.id.toUpperCase() === target.toUpperCase());
  if (!found)
    throw new CliError(
      `no such file, and no runbook with that ID in ${resolve(dir)}. Try: incident-bot list ${dir}`,
      { file: target },
    );
  return { runbook: found, catalog: loaded.catalog };
}
