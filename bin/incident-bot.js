#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through the prepare script). When dist/ is missing or
// older than a source file (a developer edited src/ without `npm run build`), runs the TypeScript through
// tsx instead, so the CLI never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sources = join(root, 'src');
const upToDate =
  existsSync(compiled) && (!existsSync(sources) || statSync(compiled).mtimeMs >= newestSource(sources));
let runCli;
if (upToDate) {
  ({ runCli } = await import(compiled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import(join(sources, 'cli.ts')));
}
process.exitCode = await runCli(process.argv.slice(2));
