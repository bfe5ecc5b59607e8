#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx incident-bot` works from a fresh `npm ci` without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
