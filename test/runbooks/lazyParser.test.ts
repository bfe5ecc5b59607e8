import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

// A process of its own each time: the parser, once loaded, stays loaded, and test files share modules.
const LOAD = `
import { loadRunbooks, useParseDiskCache } from './src/runbooks/loader.ts';
import { markdownParserLoaded } from './src/runbooks/markdown.ts';
useParseDiskCache(process.env.CACHE);
const loaded = loadRunbooks(process.env.RUNBOOKS, { today: new Date('2026-11-22'), maxAgeDays: 90 });
console.log(JSON.stringify({ runbooks: loaded.files.length, parser: markdownParserLoaded() }));
`;
function loadInProcess(cache: string, runbooks: string): { runbooks: number; parser: boolean } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', LOAD], {
    env: { ...process.env, CACHE: cache, RUNBOOKS: runbooks },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

it('loads the Markdown parser only for a runbook that is in no parse cache (a warm start never does)', () => {
  const cache = temp('parser-cache-');
  const runbooks = temp('parser-runbooks-');
  cpSync('runbooks', runbooks, { recursive: true });

  const cold = loadInProcess(cache, runbooks);
  expect(cold.parser).toBe(true);
  const warm = loadInProcess(cache, runbooks);
  expect(warm).toEqual({ runbooks: cold.runbooks, parser: false });

  writeFileSync(join(runbooks, 'RUN-900-new.md'), '# RUN-900: New\nOwner: SRE\n');
  expect(loadInProcess(cache, runbooks)).toEqual({ runbooks: cold.runbooks + 1, parser: true });
});
