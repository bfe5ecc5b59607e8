/**
 * Runs once per `vitest run`, in vitest's main process, before any test file:
 * - compiles src/ to plain JavaScript in `.test-dist/`, so the tests that start the bot as a child process
 *   run it as `npm start` does (compiled) instead of through tsx, which transpiles the whole bot again in
 *   every process (about 1.3 s of CPU each);
 * - starts the run's one PostgreSQL cluster in the background (sharedPostgres.ts hands out databases on it)
 *   and stops it after the last test file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { compiledEntry, compileSources } from './compiledBot.ts';
import { freePort, type RunningPostgres, startPostgres } from './realServers.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'incident-bot-shared-pg-'));
  const failureFile = join(scratch, 'failure');
  project.provide('postgres', { url: `postgres://postgres@127.0.0.1:${port}/postgres`, failureFile });
  // Not awaited: test files that need no PostgreSQL run meanwhile; the others wait for it (or its failure).
  const cluster: Promise<RunningPostgres | null> = startPostgres(port).catch((error: unknown) => {
    writeFileSync(failureFile, error instanceof Error ? error.message : String(error));
    return null;
  });

  const teardown = async () => {
    await (await cluster)?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await compileSources();
    // A failed build throws above; this catches one that wrote nothing usable.
    if (!compiledEntry())
      throw new Error('compiling src/ to .test-dist/ left no current index.js: see the esbuild output');
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
