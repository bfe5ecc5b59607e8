import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  findRunbookFiles,
  loadRunbooks,
  preparseRunbooks,
  useParseDiskCache,
} from '../../src/runbooks/loader.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';
import { contentKey, parserVersion } from '../../src/runbooks/parseCache.ts';
import {
  MIN_FILES_PER_THREAD,
  parseInThreads,
  threadsFor,
  useParseWorker,
} from '../../src/runbooks/parsePool.ts';
import { compiledParseWorker } from '../support/compiledBot.ts';

// The threads run the compiled worker, as from dist/: tsx loading in each thread costs seconds under load.
beforeAll(() => useParseWorker(compiledParseWorker()));
afterAll(() => useParseWorker(undefined));
const dirs: string[] = [];
afterEach(() => {
  useParseDiskCache(undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'parse-pool-'));
  dirs.push(d);
  return d;
};
const options = { today: new Date('2026-11-22'), maxAgeDays: 90 };
const corpus = findRunbookFiles('test/fixtures/corpus').filter((f) => !f.endsWith('LAYOUTS.md'));

describe('threadsFor', () => {
  it('uses one thread a core, and none (parse here) for fewer files than two threads are worth', () => {
    expect(threadsFor(479, 2)).toBe(2);
    expect(threadsFor(479, 8)).toBe(8);
    expect(threadsFor(MIN_FILES_PER_THREAD * 3, 8)).toBe(3);
    expect(threadsFor(MIN_FILES_PER_THREAD * 2 - 1, 8)).toBe(0);
    expect(threadsFor(14, 2)).toBe(0);
    expect(threadsFor(479, 1)).toBe(0);
  });
});

describe('parseInThreads', { timeout: 60_000 }, () => {
  it('answers, in order, exactly what parsing on this thread gives', async () => {
    const items = corpus.slice(0, 48).map((file) => ({ file, source: readFileSync(file, 'utf8') }));
    const threaded = await parseInThreads(items, 2);
    expect(threaded).toHaveLength(48);
    expect(threaded).toEqual(items.map((i) => parseRunbook(i.source, i.file)));
  });
});

describe('preparseRunbooks', { timeout: 60_000 }, () => {
  it('does nothing for a folder of a few runbooks: loadRunbooks parses them on this thread', () => {
    const books = tmp();
    for (const file of corpus.slice(0, 3)) copyFileSync(file, join(books, basename(file)));
    expect(preparseRunbooks(books)).toBeNull();
  });

  it('parses a large folder in threads, so the load that follows finds every file parsed', async () => {
    const cacheRoot = tmp();
    const books = tmp();
    useParseDiskCache(cacheRoot);
    // A nonce line keeps the content out of the in-memory cache other tests of this process filled.
    const nonce = `<!-- ${Date.now()} -->\n`;
    const sources = corpus.slice(100, 148).map((file, i) => {
      const target = join(books, `${String(i).padStart(2, '0')}-${basename(file)}`);
      writeFileSync(target, readFileSync(file, 'utf8') + nonce);
      return { target, source: readFileSync(target, 'utf8') };
    });
    const pending = preparseRunbooks(books);
    expect(pending).not.toBeNull();
    await pending;
    // The threads' parses were written to the disk cache before any load ran.
    const entry = (source: string) =>
      join(cacheRoot, `parse-${parserVersion()}`, `${contentKey(source)}.json`);
    expect(sources.filter(({ source }) => existsSync(entry(source)))).toHaveLength(sources.length);

    const loaded = loadRunbooks(books, options, false);
    expect(loaded.files).toHaveLength(48);
    for (const [i, f] of loaded.files.entries()) {
      const { source } = sources[i] as { source: string };
      expect(f.parsed).toEqual(parseRunbook(source, f.file));
    }
    // Nothing left to parse: a second call has no work for threads.
    expect(preparseRunbooks(books)).toBeNull();
  });
});
