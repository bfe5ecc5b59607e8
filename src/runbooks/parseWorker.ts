/**
 * A parser thread of the parse pool (parsePool.ts): takes batches of runbook sources, answers with their
 * parses in the same order. A parse that throws (a parser defect, never content) answers null, and the
 * loader parses that file again on the main thread, where the error is reported with its file.
 */
import { parentPort } from 'node:worker_threads';
import { parseRunbook } from './parse.ts';
import type { ParseBatch, ParseBatchResult } from './parsePool.ts';

parentPort?.on('message', (batch: ParseBatch) => {
  const results = batch.items.map(({ source, file }) => {
    try {
      return parseRunbook(source, file);
    } catch {
      return null;
    }
  });
  parentPort?.postMessage({ id: batch.id, results } satisfies ParseBatchResult);
});
