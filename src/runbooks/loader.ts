import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { RunbookCatalog } from './catalog.ts';
import { type LintOptions, lintAlertCoverage, lintRunbook } from './lint.ts';
import { lintEscalationTarget } from './lintPolicy.ts';
import type { Runbook, RunbookIssue } from './model.ts';
import { type ParsedRunbook, parseRunbook } from './parse.ts';
import { contentKey, defaultCacheDir, ParseDiskCache } from './parseCache.ts';
import { type ParseItem, parseInThreads, threadsFor } from './parsePool.ts';
import { type PolicyFile, readPolicyFile } from './policyFile.ts';

export interface LoadedFile {
  file: string;
  parsed: ParsedRunbook | null;
  issues: RunbookIssue[];
}

export interface LoadedRunbooks {
  dir: string;
  files: LoadedFile[];
  /** Runbooks that loaded without errors; a broken file is reported and left out. */
  catalog: RunbookCatalog;
  policy: PolicyFile;
  issues: RunbookIssue[];
}

/** Markdown files of a runbook directory, recursively; README files document the folder and are not runbooks. */
/** Paths as the user would type them: relative to the working directory when inside it. */
function displayPath(full: string): string {
  const rel = relative(process.cwd(), full);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : full;
}

export function findRunbookFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(current, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (name.toLowerCase().endsWith('.md') && !/^readme\.md$/i.test(name)) out.push(full);
    }
  };
  visit(dir);
  return out;
}

/**
 * Parsing is a pure function of the content (the file name only labels the result) and costs most of a
 * load (micromark), so unchanged content is parsed once: a reload after editing one runbook re-parses
 * that one. Callers treat the parsed runbook as read-only. Bounded so churning files cannot grow it.
 */
const parseCache = new Map<string, ParsedRunbook>();
const PARSE_CACHE_MAX = 5_000;
let diskCache: ParseDiskCache | null | undefined;

/** Where parses persist between processes: a directory, `null` for none, `undefined` for the default. */
export function useParseDiskCache(root: string | null | undefined): void {
  diskCache = typeof root === 'string' ? new ParseDiskCache(root) : root;
}

function disk(): ParseDiskCache | null {
  if (diskCache === undefined) {
    const root = defaultCacheDir();
    diskCache = root ? new ParseDiskCache(root) : null;
  }
  return diskCache;
}

function relabel(hit: ParsedRunbook, file: string): ParsedRunbook {
  if (hit.runbook.source.file === file) return hit;
  return {
    ...hit,
    runbook: { ...hit.runbook, source: { ...hit.runbook.source, file } },
    issues: hit.issues.map((issue) => ({ ...issue, file })),
  };
}

function remember(source: string, parsed: ParsedRunbook): void {
  if (parseCache.size >= PARSE_CACHE_MAX) parseCache.clear();
  parseCache.set(source, parsed);
}

function parseCached(source: string, file: string): ParsedRunbook {
  const hit = parseCache.get(source);
  if (hit) return relabel(hit, file);
  const store = disk();
  const key = store ? contentKey(source) : '';
  const stored = store?.get(key);
  const parsed = stored ? relabel(stored, file) : parseRunbook(source, file);
  if (store && !stored) store.set(key, parsed);
  remember(source, parsed);
  return parsed;
}

/**
 * Parses in worker threads the files of `dir` (and `extraFiles`) that neither cache holds, so that the
 * loadRunbooks that follows finds every one parsed: a cold start or a first CI lint of a large folder uses
 * every core. Null, having done nothing, when threads would not pay (few files to parse, one core): then
 * loadRunbooks parses on this thread as before, and a caller that needs no promise gets none.
 */
export function preparseRunbooks(dir: string, extraFiles: readonly string[] = []): Promise<void> | null {
  const store = disk();
  const missing: (ParseItem & { key: string })[] = [];
  let paths: string[];
  try {
    paths = [...new Set([...findRunbookFiles(dir), ...extraFiles])];
  } catch {
    return null; // loadRunbooks reports the unreadable folder
  }
  for (const full of paths) {
    let source: string;
    try {
      source = readFileSync(full, 'utf8');
    } catch {
      continue; // loadRunbooks reports the unreadable file
    }
    if (parseCache.has(source)) continue;
    const key = store ? contentKey(source) : '';
    const stored = store?.get(key);
    if (stored) remember(source, stored);
    else missing.push({ source, file: displayPath(full), key });
  }
  if (threadsFor(missing.length) === 0) return null;
  return parseInThreads(missing).then((parsed) => {
    parsed.forEach((result, i) => {
      const item = missing[i];
      if (!result || !item) return;
      store?.set(item.key, result);
      remember(item.source, result);
    });
  });
}

/**
 * Loads every runbook of a directory and its policy.yml. One broken file never stops the others: its
 * problems are reported with file and line, and it is left out of the catalog. `extraFiles` are loaded
 * as runbooks too (the CLI linting a README.md or a file of another extension that the user named).
 */
export function loadRunbooks(
  dir: string,
  options: LintOptions,
  policyRequired = true,
  extraFiles: readonly string[] = [],
): LoadedRunbooks {
  const sources = new Map<string, string>();
  const found = findRunbookFiles(dir);
  const paths = [...found, ...extraFiles.filter((f) => !found.includes(f))];
  const files: LoadedFile[] = paths.map((full) => {
    const file = displayPath(full);
    try {
      const source = readFileSync(full, 'utf8');
      sources.set(file, source);
      const parsed = parseCached(source, file);
      return { file, parsed, issues: lintRunbook(parsed, options, source) };
    } catch (error) {
      // The parser does not throw on content; this is an unreadable file or a parser defect.
      const message = error instanceof Error ? error.message : String(error);
      return {
        file,
        parsed: null,
        issues: [{ level: 'error', rule: 'read', file, line: 0, message: `could not read: ${message}` }],
      };
    }
  });

  const seen = new Map<string, string>();
  for (const f of files) {
    if (f.parsed?.runbook.source.layout !== 'run') continue;
    const id = f.parsed.runbook.id;
    const first = seen.get(id);
    if (first) {
      f.issues.push({
        level: 'error',
        rule: 'duplicate-id',
        file: f.file,
        line: f.parsed.lines.title,
        message: `${id} is also used by ${first}: give each runbook its own RUN- number`,
      });
    } else seen.set(id, f.file);
  }

  // "see RUN-010" with no RUN-010 sends a responder nowhere at 3 AM.
  const known = new Set(files.flatMap((f) => (f.parsed ? [f.parsed.runbook.id] : [])));
  for (const f of files) {
    for (const ref of f.parsed?.runbook.meta.references ?? []) {
      if (known.has(ref.id)) continue;
      f.issues.push({
        level: 'warning',
        rule: 'dangling-reference',
        file: f.file,
        line: ref.line,
        message: `mentions ${ref.id}, but no runbook has that ID: write ${ref.id} or fix the reference`,
      });
    }
  }

  const good: Runbook[] = files
    .filter((f) => f.parsed && !f.issues.some((i) => i.level === 'error'))
    .map((f) => (f.parsed as ParsedRunbook).runbook);
  const catalog = new RunbookCatalog(good);

  const policyPath = join(dir, 'policy.yml');
  const policy = readPolicyFile(displayPath(policyPath));
  const policyIssues = policyRequired
    ? policy.issues
    : policy.issues.filter((i) => i.message.indexOf('not found') === -1);
  // Front matter `escalation.to` must name a policy target (a warning: the policy's default still escalates).
  if (policy.policy) {
    for (const f of files) {
      const problem = f.parsed
        ? lintEscalationTarget(f.parsed, sources.get(f.file) ?? '', policy.policy)
        : null;
      if (problem) f.issues.push(problem);
    }
  }
  const coverage = policy.policy
    ? lintAlertCoverage(
        policy.policy.monitored_alerts,
        (a) => catalog.forAlert(a),
        displayPath(policyPath),
        policy.lineOfAlert,
      )
    : [];
  return {
    dir,
    files,
    catalog,
    policy,
    issues: [...files.flatMap((f) => f.issues), ...policyIssues, ...coverage],
  };
}
