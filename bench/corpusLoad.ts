/**
 * One corpus load in a fresh process, for bench/corpusCache.ts: prints the milliseconds the load took
 * (read, parse in worker threads or read the disk cache, lint, index), module loading excluded.
 * BENCH_THREADS=off parses on the main thread only, as the loader did before the parse pool.
 */
import { loadRunbooks, preparseRunbooks } from '../src/runbooks/loader.ts';

const dir = process.argv[2] ?? 'test/fixtures/corpus';
const start = performance.now();
if (process.env.BENCH_THREADS !== 'off') await preparseRunbooks(dir);
const loaded = loadRunbooks(dir, { today: new Date('2026-11-22'), maxAgeDays: 90 }, false);
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, files: loaded.files.length, issues: loaded.issues.length }));
