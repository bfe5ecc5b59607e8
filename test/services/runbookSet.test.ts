import { readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRunbookSet, RunbookSetError, reloadRunbookSet } from '../../src/services/runbookSet.ts';
import { runbooksDir } from '../support/testRunbooks.ts';

const NOW = new Date('2026-11-22T10:00:00Z');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fixture() {
  const dir = runbooksDir();
  dirs.push(dir);
  const file = (prefix: string) => {
    const name = readdirSync(dir).find((f) => f.startsWith(prefix));
    if (!name) throw new Error(`no ${prefix} file`);
    return join(dir, name);
  };
  return { dir, file, set: loadRunbookSet(dir, NOW) };
}

describe('reloadRunbookSet', () => {
  it('keeps the previous version of a file that is broken now, and reports its error with file and line', () => {
    const { dir, file, set } = fixture();
    const before = set.catalog.byId('RUN-001');
    writeFileSync(file('RUN-001'), '---\ntriggers: [unclosed\n---\n# RUN-001: Broken\n');
    const result = reloadRunbookSet(dir, NOW, set);
    expect(result.set.catalog.byId('RUN-001')).toBe(before);
    expect(result.kept).toEqual([before?.source.file]);
    expect(result.problems).toEqual([
      expect.stringMatching(/RUN-001-.*\.md:2: front matter is not valid YAML/),
    ]);
    expect(result.set.catalog.runbooks).toHaveLength(set.catalog.runbooks.length);
  });

  it('drops a deleted file and picks up edits, with no problems to report', () => {
    const { dir, file, set } = fixture();
    unlinkSync(file('RUN-013'));
    const result = reloadRunbookSet(dir, NOW, set);
    expect(result.problems).toEqual([]);
    expect(result.set.catalog.byId('RUN-013')).toBeUndefined();
    expect(result.set.catalog.runbooks).toHaveLength(set.catalog.runbooks.length - 1);
  });

  it('refuses a broken policy as a whole, naming the file to fix', () => {
    const { dir, set } = fixture();
    writeFileSync(join(dir, 'policy.yml'), 'severities: [not, a, map]\n');
    let thrown: unknown;
    try {
      reloadRunbookSet(dir, NOW, set);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RunbookSetError);
    expect(String(thrown)).toMatch(/policy\.yml:\d+/);
  });
});
