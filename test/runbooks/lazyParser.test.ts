import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
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
// It loads the folder, then (ADD set) writes a new runbook and loads it again.
const LOAD = `
import { writeFileSync } from 'node:fs';
import { loadRunbooks, useParseDiskCache } from './src/runbooks/loader.ts';
import { markdownParserLoaded } from './src/runbooks/markdown.ts';
useParseDiskCache(process.env.CACHE);
const load = () => loadRunbooks(process.env.RUNBOOKS, { today: new Date('2026-11-22'), maxAgeDays: 90 });
const seen = [{ files: load().files.length, parser: markdownParserLoaded() }];
if (process.env.ADD) {
  writeFileSync(process.env.ADD, '# RUN-900: New\\nOwner: SRE\\n');
  seen.push({ files: load().files.length, parser: markdownParserLoaded() });
}
console.log(JSON.stringify(seen));
`;
function loadInProcess(env: Record<string, string>): { files: number; parser: boolean }[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', LOAD], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '[]');
}

it('loads the Markdown parser only for a runbook that is in no parse cache (a warm start never does)', () => {
  const cache = temp('parser-cache-');
  const runbooks = temp('parser-runbooks-');
  for (const file of ['policy.yml', 'RUN-001-database-connection-pool-exhaustion.md'])
    copyFileSync(join('runbooks', file), join(runbooks, file));

  expect(loadInProcess({ CACHE: cache, RUNBOOKS: runbooks })).toEqual([{ files: 1, parser: true }]);
  // Every file in the cache: no parser, until a file the cache does not hold.
  expect(loadInProcess({ CACHE: cache, RUNBOOKS: runbooks, ADD: join(runbooks, 'RUN-900-new.md') })).toEqual([
    { files: 1, parser: false },
    { files: 2, parser: true },
  ]);
});
