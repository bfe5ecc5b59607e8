import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Ceilings, not timing assertions: some tests start the bot as a child process or a real server,
    // which takes a few seconds on a loaded 2-core machine. A hung test still fails.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
