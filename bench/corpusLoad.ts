/**
 * One corpus load in a fresh process, for bench/corpusCache.ts: prints the milliseconds the load took
 * (read, parse in worker threads or read the disk cache, lint, index), module loading excluded.
 * BENCH_THREADS=off parses on the main thread only, as the loader did before the parse pool.
 * BENCH_PARSER_ONLY=on runs only the Markdown parser (micromark + mdast, GFM, front matter) over the same
 * files on the main thread: the floor any importer built on it pays on a cold start.
 */
import { readFileSync } from 'node:fs';
import { findRunbookFiles, loadRunbooks, preparseRunbooks } from '../src/runbooks/loader.ts';
import { parseMarkdown } from '../src/runbooks/markdown.ts';

const dir = process.argv[2] ?? 'test/fixtures/corpus';
if (process.env.BENCH_PARSER_ONLY === 'on') {
  const sources = findRunbookFiles(dir).map((file) => readFileSync(file, 'utf8'));
  parseMarkdown(''); // loads the parser's modules outside the timing, as the other variants' imports are
  const start = performance.now();
  for (const source of sources) parseMarkdown(source);
  console.log(JSON.stringify({ ms: performance.now() - start, files: sources.length, issues: 0 }));
} else {
  const start = performance.now();
  if (process.env.BENCH_THREADS !== 'off') await preparseRunbooks(dir);
  const loaded = loadRunbooks(dir, { today: new Date('2026-11-22'), maxAgeDays: 90 }, false);
  const ms = performance.now() - start;
  console.log(JSON.stringify({ ms, files: loaded.files.length, issues: loaded.issues.length }));
}
