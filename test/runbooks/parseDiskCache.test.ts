import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadRunbooks, useParseDiskCache } from '../../src/runbooks/loader.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';
import { contentKey, defaultCacheDir, ParseDiskCache, parserVersion } from '../../src/runbooks/parseCache.ts';

const dirs: string[] = [];
afterEach(() => {
  useParseDiskCache(undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'parse-cache-'));
  dirs.push(d);
  return d;
};
const options = { today: new Date('2026-11-22'), maxAgeDays: 90 };
// A nonce keeps the content out of the loader's in-memory cache, which other tests in this process filled.
const runbook = (nonce: string) =>
  `# RUN-042: Queue backlog ${nonce}\n\nOwner: SRE\n\n## Procedure\n\n### Step 1: Drain\n\n\`\`\`bash\nkubectl scale deploy/worker --replicas=8\n\`\`\`\n\nVerification:\n- [ ] backlog falls\n`;

it('writes each parse under the parser version and content hash, and the next load reads it from disk', () => {
  const cacheRoot = tmp();
  const books = tmp();
  useParseDiskCache(cacheRoot);
  const source = runbook(`a${Date.now()}`);
  writeFileSync(join(books, 'RUN-042.md'), source);
  const first = loadRunbooks(books, options, false);
  expect(first.files[0]?.parsed?.runbook.steps[0]?.title).toBe('Drain');

  const entryPath = join(cacheRoot, `parse-${parserVersion()}`, `${contentKey(source)}.json`);
  const entry = JSON.parse(readFileSync(entryPath, 'utf8'));
  expect(entry.key).toBe(contentKey(source));
  expect(entry.parsed.runbook.steps[0].commands[0].code).toBe('kubectl scale deploy/worker --replicas=8');

  // Proof the loader reads the disk: an entry edited by hand for content it has never seen in memory.
  const unseen = runbook(`b${Date.now()}`);
  const forged = parseRunbook(unseen, 'elsewhere.md');
  forged.runbook.title = 'From the disk cache';
  new ParseDiskCache(cacheRoot).set(contentKey(unseen), forged);
  writeFileSync(join(books, 'RUN-042.md'), unseen);
  const second = loadRunbooks(books, options, false);
  expect(second.files[0]?.parsed?.runbook.title).toBe('From the disk cache');
  // Relabelled with the file it was read from now, not the one it was parsed from.
  expect(second.files[0]?.parsed?.runbook.source.file).toBe(join(books, 'RUN-042.md'));
});

it('ignores a corrupt or mismatched entry and rebuilds it on the next write', () => {
  const cache = new ParseDiskCache(tmp());
  const source = runbook('corrupt');
  const key = contentKey(source);
  const parsed = parseRunbook(source, 'RUN-042.md');
  cache.set(key, parsed);
  expect(cache.get(key)).toEqual(parsed);

  const path = join(cache.dir, `${key}.json`);
  writeFileSync(path, readFileSync(path, 'utf8').slice(0, 100));
  expect(cache.get(key)).toBeNull();
  writeFileSync(path, JSON.stringify({ key, parsed: { runbook: { id: 'RUN-042' }, issues: [], lines: {} } }));
  expect(cache.get(key)).toBeNull();
  // An entry stored under another content's name is not trusted either.
  writeFileSync(path, JSON.stringify({ key: contentKey('other'), parsed }));
  expect(cache.get(key)).toBeNull();

  cache.set(key, parsed);
  expect(cache.get(key)).toEqual(parsed);
  expect(readdirSync(cache.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
});

it('a new parser version misses every old entry and removes the old version directory', () => {
  const root = tmp();
  const source = runbook('version');
  const key = contentKey(source);
  const old = new ParseDiskCache(root, 'v-old');
  old.set(key, parseRunbook(source, 'RUN-042.md'));
  expect(existsSync(old.dir)).toBe(true);

  const current = new ParseDiskCache(root, 'v-new');
  expect(current.get(key)).toBeNull();
  current.set(key, parseRunbook(source, 'RUN-042.md'));
  expect(readdirSync(root)).toEqual(['parse-v-new']);
  expect(parserVersion()).toMatch(/^[0-9a-f]{16}$/);
});

it('a cache directory that cannot be written costs a parse, never the load', () => {
  const root = tmp();
  const blocked = join(root, 'file-not-dir');
  writeFileSync(blocked, 'x');
  useParseDiskCache(blocked);
  const books = tmp();
  writeFileSync(join(books, 'RUN-042.md'), runbook(`c${Date.now()}`));
  expect(loadRunbooks(books, options, false).files[0]?.parsed?.runbook.id).toBe('RUN-042');
});

it('takes its directory from INCIDENT_BOT_CACHE_DIR, then XDG_CACHE_HOME, and turns off with "off"', () => {
  expect(defaultCacheDir({ INCIDENT_BOT_CACHE_DIR: '/srv/cache' })).toBe('/srv/cache');
  expect(defaultCacheDir({ INCIDENT_BOT_CACHE_DIR: 'off' })).toBeNull();
  expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache' })).toBe('/var/cache/incident-bot');
});
