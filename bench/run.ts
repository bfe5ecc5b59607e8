/**
 * Benchmarks, run with `npm run bench`; figures go to BENCHMARKS.md. Never assert timings in tests.
 * Each benchmark warms up, then reports the median of several runs so one slow run does not mislead.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintRunbook } from '../src/runbooks/lint.ts';
import { findRunbookFiles, loadRunbooks } from '../src/runbooks/loader.ts';
import { parseRunbook } from '../src/runbooks/parse.ts';

const CORPUS = 'test/fixtures/corpus';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const options = { today: new Date('2026-11-22'), maxAgeDays: 90 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function measure(name: string, fn: () => void): number {
  fn(); // warm-up: JIT and file cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  const ms = median(times);
  console.log(
    `${name.padEnd(46)} median ${ms.toFixed(1).padStart(8)} ms  (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}, ${RUNS} runs)`,
  );
  return ms;
}

const files = findRunbookFiles(CORPUS).filter((f) => !f.endsWith('LAYOUTS.md'));
const sources = files.map((f) => [f, readFileSync(f, 'utf8')] as const);
const bytes = sources.reduce((n, [, s]) => n + Buffer.byteLength(s), 0);
console.log(`corpus: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB; node ${process.version}`);

const parseMs = measure('parse corpus (in memory)', () => {
  for (const [f, s] of sources) parseRunbook(s, f);
});
// With the source, as the loader lints: the source-text rules (fences, step numbers, commands) included.
measure('parse + lint corpus (in memory)', () => {
  for (const [f, s] of sources) lintRunbook(parseRunbook(s, f), options, s);
});
measure('loadRunbooks(corpus) again: read + lint + index, parse cached', () => {
  loadRunbooks(CORPUS, options, false);
});
measure('loadRunbooks(runbooks/) again: the shipped set, parse cached', () => {
  loadRunbooks('runbooks', options);
});
console.log(
  `per file: ${((parseMs / files.length) * 1000).toFixed(0)} µs parse, ${(bytes / 1024 / 1024 / (parseMs / 1000)).toFixed(1)} MiB/s`,
);

const largest = sources.reduce((a, b) => (b[1].length > a[1].length ? b : a));
measure(
  `parse largest file (${join('…', largest[0].split('/').pop() ?? '')}, ${(largest[1].length / 1024).toFixed(0)} KiB)`,
  () => {
    parseRunbook(largest[1], largest[0]);
  },
);

// Heap retained by the parsed model: collect, measure, parse and keep, collect, measure.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage().heapUsed;
const kept = sources.map(([f, s]) => parseRunbook(s, f).runbook);
gc?.();
const retained = process.memoryUsage().heapUsed - before;
console.log(
  gc
    ? `heap retained by ${kept.length} parsed runbooks: ${(retained / 1024 / 1024).toFixed(1)} MiB`
    : 'heap figure skipped: run with node --expose-gc (npm run bench does)',
);

// Issue 19: the same corpus in fresh processes, without, with an empty and with a filled disk cache.
console.log('');
const { corpusCacheBench } = await import('./corpusCache.ts');
corpusCacheBench();

// BENCH_ONLY=corpus stops here: the runbook figures alone take seconds, the rest minutes.
if (process.env.BENCH_ONLY !== 'corpus') {
  // Issue 4: the scheduler tick with 10,000 open incidents and 100,000 timers.
  console.log('');
  await import('./timers.ts');

  // Issue 9: ack latency against a bare Bolt app, page to first step, cold start, then the storm (issue 5).
  // Page to first step and the RSS figures run the compiled bot (dist/) as `npm start` does: build it once.
  console.log('');
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  const { ackBench } = await import('./ack.ts');
  await ackBench();
  const { firstStepBench, coldStartBench } = await import('./firstStep.ts');
  await firstStepBench();
  await coldStartBench();
  console.log('');
  await import('./intake.ts');
  // Issue 19: ack latency and event-loop blocking at 10, 1k and 10k open incidents.
  console.log('');
  const { scaleBench } = await import('./scale.ts');
  await scaleBench();
  const { ackProcessesBench } = await import('./ackProcesses.ts');
  await ackProcessesBench();
  // Issue 16: ack latency and page to first step with the bot on PostgreSQL next to SQLite.
  console.log('');
  const { replicasBench } = await import('./replicas.ts');
  await replicasBench();
  // Issue 19: the compiled bot's own RSS, idle and with 10k open incidents (dist/ built above).
  console.log('');
  const { memoryBench } = await import('./memory.ts');
  await memoryBench();
  // Issue 14: a 10k-entry timeline rendered without holding the event loop; repeated deliveries stored once.
  console.log('');
  await import('./largeIncident.ts');
}
