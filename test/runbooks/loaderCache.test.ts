import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadRunbooks } from '../../src/runbooks/loader.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const copy = () => {
  const d = mkdtempSync(join(tmpdir(), 'cache-'));
  cpSync('runbooks', d, { recursive: true });
  dirs.push(d);
  return d;
};
const options = { today: new Date('2026-11-22'), maxAgeDays: 90 };

it("gives the same content the same runbook under each copy's own file name, and re-reads an edited file", () => {
  const a = loadRunbooks(copy(), options);
  const bDir = copy();
  const b = loadRunbooks(bDir, options);
  const pick = (l: typeof a) =>
    l.files.find((f) => f.file.endsWith('RUN-001-database-connection-pool-exhaustion.md'));
  expect(pick(a)?.parsed?.runbook.source.file).not.toBe(pick(b)?.parsed?.runbook.source.file);
  expect(pick(b)?.parsed?.runbook.source.file).toContain(bDir);
  expect(pick(b)?.parsed?.runbook.steps).toEqual(pick(a)?.parsed?.runbook.steps);

  writeFileSync(join(bDir, 'RUN-001-database-connection-pool-exhaustion.md'), '# RUN-001: Renamed\n');
  const edited = loadRunbooks(bDir, options);
  expect(pick(edited)?.parsed?.runbook.title).toBe('Renamed');
  expect(pick(edited)?.parsed?.runbook.steps).toEqual([]);
});
