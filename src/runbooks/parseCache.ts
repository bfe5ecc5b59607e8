import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RunbookIssueSchema, RunbookSchema } from './model.ts';
import type { ParsedRunbook } from './parse.ts';

/**
 * Runbook parses kept on disk by content hash, so a cold start or a CI lint of an unchanged corpus skips
 * micromark (seconds for hundreds of files). Entries live under a directory named after the parser's own
 * version: a hash of the source files of src/runbooks/ and src/domain/ (which it imports), or of their
 * compiled copies, so any change to the importer invalidates every entry without anyone bumping a number.
 */

const LinesSchema = z.object({
  title: z.number(),
  scope: z.number(),
  escalation: z.number(),
  owner: z.number(),
  lastTested: z.number(),
});
const EntrySchema = z.object({
  key: z.string(),
  parsed: z.object({ runbook: RunbookSchema, issues: z.array(RunbookIssueSchema), lines: LinesSchema }),
});
type Entry = z.infer<typeof EntrySchema>;

/** Bump when the entry format or the Markdown libraries change: the source hash does not see those. */
const FORMAT = 1;

let parserVersionMemo: string | undefined;

/** Hash of the parser's code: every .ts/.js file of this module's folder and of domain/, in name order. */
export function parserVersion(): string {
  if (parserVersionMemo) return parserVersionMemo;
  const here = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256').update(`format ${FORMAT}\n`);
  for (const dir of [here, join(here, '..', 'domain')]) {
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(ts|js)$/.test(name) || name.endsWith('.d.ts')) continue;
      hash
        .update(name)
        .update('\0')
        .update(readFileSync(join(dir, name)))
        .update('\0');
    }
  }
  parserVersionMemo = hash.digest('hex').slice(0, 16);
  return parserVersionMemo;
}

/** `INCIDENT_BOT_CACHE_DIR`, else `$XDG_CACHE_HOME/incident-bot`, else `~/.cache/incident-bot`; `off` disables. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env.INCIDENT_BOT_CACHE_DIR;
  if (explicit === 'off') return null;
  if (explicit) return explicit;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'incident-bot');
}

export function contentKey(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

export class ParseDiskCache {
  readonly dir: string;
  private pruned = false;

  constructor(root: string, version = parserVersion()) {
    this.dir = join(root, `parse-${version}`);
  }

  /** The cached parse of this content, or null when absent, unreadable or corrupt (then it is rebuilt). */
  get(key: string): ParsedRunbook | null {
    let text: string;
    try {
      text = readFileSync(this.path(key), 'utf8');
    } catch {
      return null;
    }
    try {
      const entry = EntrySchema.safeParse(JSON.parse(text));
      if (!entry.success || entry.data.key !== key) return null;
      return entry.data.parsed as ParsedRunbook;
    } catch {
      return null;
    }
  }

  /** Written to a temporary name then renamed, so a reader (another process, a crash) never sees half an entry. */
  set(key: string, parsed: ParsedRunbook): void {
    try {
      if (!this.pruned) this.pruneOldVersions();
      mkdirSync(this.dir, { recursive: true });
      const entry: Entry = { key, parsed };
      const tmp = `${this.path(key)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, this.path(key));
    } catch {
      // A read-only or full disk only costs the next start a parse; loading runbooks must not fail for it.
    }
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** Entries of earlier parser versions can never be read again. */
  private pruneOldVersions(): void {
    this.pruned = true;
    const root = dirname(this.dir);
    let names: string[] = [];
    try {
      names = readdirSync(root);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('parse-') && join(root, name) !== this.dir) {
        rmSync(join(root, name), { recursive: true, force: true });
      }
    }
  }
}
