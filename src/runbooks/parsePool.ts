import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ParsedRunbook } from './parse.ts';

export interface ParseItem {
  source: string;
  file: string;
}
export interface ParseBatch {
  id: number;
  items: ParseItem[];
}
export interface ParseBatchResult {
  id: number;
  results: (ParsedRunbook | null)[];
}

/**
 * Below this many files a thread, starting it (each loads the Markdown parser, ~0.1-0.3 s) costs more
 * than it saves: the files are parsed on the calling thread instead.
 */
export const MIN_FILES_PER_THREAD = 24;
/** Small batches keep every thread busy to the end even when a few files are much larger than the rest. */
const BATCH_SIZE = 8;

/** How many parser threads `count` files are worth on this machine: 0 means "parse them here". */
export function threadsFor(count: number, cores = availableParallelism()): number {
  const threads = Math.min(cores, Math.floor(count / MIN_FILES_PER_THREAD));
  return threads >= 2 ? threads : 0;
}

// Compiled, the worker is parseWorker.js beside this file; run from source (tsx, vitest), parseWorker.ts.
const WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './parseWorker.ts' : './parseWorker.js',
  import.meta.url,
);

/**
 * Parses the items in worker threads, one per core (see threadsFor), in batches handed to whichever thread
 * is free. Answers in the items' order; null where a thread could not parse (it failed to start or the
 * parse threw): the caller parses those itself, so a broken pool slows a load down and never breaks it.
 */
export async function parseInThreads(
  items: readonly ParseItem[],
  threads = threadsFor(items.length),
): Promise<(ParsedRunbook | null)[]> {
  const results: (ParsedRunbook | null)[] = items.map(() => null);
  if (threads < 1 || items.length === 0) return results;
  const batches: ParseBatch[] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) {
    batches.push({ id: i, items: items.slice(i, i + BATCH_SIZE) });
  }
  let next = 0;
  const run = (worker: Worker) =>
    new Promise<void>((resolve) => {
      const send = () => {
        const batch = batches[next++];
        if (batch) worker.postMessage(batch);
        else resolve();
      };
      worker.on('message', (answer: ParseBatchResult) => {
        answer.results.forEach((parsed, k) => {
          results[answer.id + k] = parsed;
        });
        send();
      });
      // A thread that dies leaves its batch null (parsed by the caller); the others carry on.
      worker.on('error', () => resolve());
      worker.on('exit', () => resolve());
      send();
    });
  const workers = Array.from({ length: threads }, startWorker);
  try {
    await Promise.all(workers.map(run));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

let workerOverride: URL | undefined;

/**
 * Runs the threads on this worker file instead (undefined: the default). The tests point it at the compiled
 * parseWorker.js: what dist/ runs, without tsx loading in every thread (seconds each on a busy machine).
 */
export function useParseWorker(worker: URL | undefined): void {
  workerOverride = worker;
}

/**
 * Compiled (dist/), the thread runs parseWorker.js. From TypeScript sources it needs tsx: inherited when
 * this process was started with it (`node --import tsx`), else (vitest) registered by a small bootstrap.
 */
function startWorker(): Worker {
  if (workerOverride) return new Worker(workerOverride);
  const fromSource = WORKER.pathname.endsWith('.ts');
  if (!fromSource || process.execArgv.some((arg) => arg.includes('tsx'))) return new Worker(WORKER);
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const boot = `const { register } = await import(${api}); register(); await import(${JSON.stringify(WORKER.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}
