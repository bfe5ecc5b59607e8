import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Ceilings, not timing assertions: some tests start the bot as a child process or a real server,
    // which takes a few seconds on a loaded 2-core machine. A hung test still fails.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Vitest leaves a core free by default, which on a 2-core machine runs every file one at a time. One
    // worker more than cores: a worker waiting on a bot process, PostgreSQL or a Slack outage leaves its core
    // to the others (2 cores, load 4-5: 111 s with 2 workers, 70 s with 3, 68 s with 4).
    maxWorkers: availableParallelism() + 1,
    // Test files share the imported app instead of re-importing it per file (35 s of a 130 s run).
    // Safe because no test mocks a module, and every bot, store and fake Slack is made per test;
    // tests that set an environment variable restore it before they end.
    isolate: false,
    // Runbook parses cached on disk (and shared by the bots the tests start) stay out of the home directory.
    env: { INCIDENT_BOT_CACHE_DIR: join(tmpdir(), 'incident-bot-test-cache') },
    // The default pool (forks: one process a worker) stays: tests send signals, set process.env and load
    // better-sqlite3, all per process. Once per run: src/ compiled for the tests that start the bot as a child
    // process (compiledBot.ts), and the one PostgreSQL cluster every PostgreSQL test uses (sharedPostgres.ts).
    globalSetup: ['test/support/globalSetup.ts'],
    // Vite's transforms of src/ and test/ kept on disk (node_modules/.experimental-vitest-cache, keyed by
    // content) between runs: about 4 s less transform CPU for a later run on 2 cores.
    experimental: { fsModuleCache: true },
  },
});
