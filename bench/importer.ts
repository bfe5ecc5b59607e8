/**
 * Issue 13: parse + lint of the whole corpus with the lossless importer, side by side in one process with
 * the importer before it (commit 03b6490, extracted with `git archive`), runs interleaved so both see the
 * same machine load. `node --import tsx bench/importer.ts`; figures go to BENCHMARKS.md.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lintRunbook } from '../src/runbooks/lint.ts';
import { findRunbookFiles } from '../src/runbooks/loader.ts';
import { parseRunbook } from '../src/runbooks/parse.ts';

const BASELINE = '03b6490';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const options = { today: new Date('2026-11-22'), maxAgeDays: 90 };

// Under node_modules so the baseline's own imports (micromark, yaml, zod) resolve to this checkout's packages.
const dir = join(process.cwd(), 'node_modules', '.cache', `baseline-${BASELINE}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
execSync(`git archive ${BASELINE} src | tar -x -C ${dir}`);
const baseParse = (await import(pathToFileURL(join(dir, 'src/runbooks/parse.ts')).href))
  .parseRunbook as typeof parseRunbook;
const baseLint = (await import(pathToFileURL(join(dir, 'src/runbooks/lint.ts')).href))
  .lintRunbook as typeof lintRunbook;

const sources = findRunbookFiles('test/fixtures/corpus')
  .filter((f) => !f.endsWith('LAYOUTS.md'))
  .map((f) => [f, readFileSync(f, 'utf8')] as const);

function once(parse: typeof parseRunbook, lint: typeof lintRunbook): number {
  const start = performance.now();
  for (const [file, source] of sources) lint(parse(source, file), options);
  return performance.now() - start;
}

const runs = { baseline: [] as number[], lossless: [] as number[] };
once(baseParse, baseLint);
once(parseRunbook, lintRunbook);
for (let i = 0; i < RUNS; i++) {
  runs.baseline.push(once(baseParse, baseLint));
  runs.lossless.push(once(parseRunbook, lintRunbook));
}
rmSync(dir, { recursive: true, force: true });

const fmt = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return `median ${median.toFixed(0)} ms (min ${sorted[0]?.toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)})`;
};
console.log(
  `parse + lint of ${sources.length} corpus files, ${RUNS} interleaved runs, node ${process.version}`,
);
console.log(`  baseline ${BASELINE}: ${fmt(runs.baseline)}`);
console.log(`  lossless importer:  ${fmt(runs.lossless)}`);
