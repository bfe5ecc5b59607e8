/**
 * Runs once per `vitest run`, before any test file: compiles src/ to plain JavaScript in `.test-dist/`,
 * so the tests that start the bot as a child process run it as `npm start` does (compiled) instead of
 * through tsx, which transpiles the whole bot again in every process (about 1.3 s of CPU each).
 */
import { compiledEntry, compileSources } from './compiledBot.ts';

export default async function setup(): Promise<void> {
  await compileSources();
  // A failed build throws above; this catches one that wrote nothing usable.
  if (!compiledEntry())
    throw new Error('compiling src/ to .test-dist/ left no current index.js: see the esbuild output');
}
