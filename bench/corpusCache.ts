/**
 * Corpus parse + lint (issue 19): `loadRunbooks` of the 478-file corpus in a fresh process each time,
 * side by side in one run: the Markdown parser alone (the floor of a cold parse), without the disk cache
 * (the old path), with an empty cache (cold: parse and write every entry) and with a filled one (warm: a
 * start after any earlier start or CI run). They alternate so machine load hits them alike. BENCH_RUNS sets
 * the runs per variant (default 5).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const CORPUS = process.env.BENCH_CORPUS ?? 'test/fixtures/corpus';

function loadOnce(
  cacheDir: string,
  threads = true,
  parserOnly = false,
): { ms: number; files: number; issues: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/corpusLoad.ts', CORPUS], {
    env: {
      ...process.env,
      INCIDENT_BOT_CACHE_DIR: cacheDir,
      BENCH_THREADS: threads ? 'on' : 'off',
      BENCH_PARSER_ONLY: parserOnly ? 'on' : 'off',
    },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

const stats = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(0);
  return `min ${f(s[0] ?? 0)}  median ${f(s[Math.floor(s.length / 2)] ?? 0)}  max ${f(s[s.length - 1] ?? 0)} ms`;
};

export function corpusCacheBench(): void {
  const times = {
    'Markdown parser alone, one thread (floor)': [] as number[],
    'one thread, no disk cache (old path)': [] as number[],
    'worker threads, no disk cache (cold)': [] as number[],
    'threads, empty cache (cold, filling it)': [] as number[],
    'warm (cache filled)': [] as number[],
  };
  let counts = '';
  for (let i = 0; i < RUNS; i++) {
    times['Markdown parser alone, one thread (floor)'].push(loadOnce('off', false, true).ms);
    times['one thread, no disk cache (old path)'].push(loadOnce('off', false).ms);
    times['worker threads, no disk cache (cold)'].push(loadOnce('off').ms);
    const dir = mkdtempSync(join(tmpdir(), 'corpus-cache-'));
    try {
      times['threads, empty cache (cold, filling it)'].push(loadOnce(dir).ms);
      const warm = loadOnce(dir);
      times['warm (cache filled)'].push(warm.ms);
      counts = `${warm.files} files, ${warm.issues} lint issues`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `corpus parse + lint in a fresh process (${CORPUS}: ${counts}; ${RUNS} runs, load ${loadavg()[0]?.toFixed(1)})`,
  );
  for (const [name, v] of Object.entries(times)) console.log(`  ${name.padEnd(42)} ${stats(v)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) corpusCacheBench();
