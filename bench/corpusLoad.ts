/**
 * One corpus load in a fresh process, for bench/corpusCache.ts: prints the milliseconds `loadRunbooks`
 * took (read, parse or read the disk cache, lint, index), module loading excluded.
 */
import { loadRunbooks } from '../src/runbooks/loader.ts';

const dir = process.argv[2] ?? 'test/fixtures/corpus';
const start = performance.now();
const loaded = loadRunbooks(dir, { today: new Date('2026-11-22'), maxAgeDays: 90 }, false);
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, files: loaded.files.length, issues: loaded.issues.length }));
