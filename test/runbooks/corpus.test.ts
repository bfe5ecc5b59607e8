import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Layout, Runbook } from '../../src/runbooks/model.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';

/** 478 real public runbooks (see SOURCES.tsv for origin and licence), vendored so CI needs no network. */
const CORPUS = 'test/fixtures/corpus';
const rows = readFileSync(join(CORPUS, 'SOURCES.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file = '', , , , , layout = ''] = line.split('\t');
    return { file, layout: layout.slice(0, 2) };
  });

/** Files whose procedure sections are literally "TODO": zero steps is the right answer for them. */
const EMPTY_PROCEDURES = new Set([
  'prometheus-operator__runbooks/content__runbooks__prometheus__PrometheusNotIngestingSamples.md',
]);

const parsed = rows.map(({ file, layout }) => {
  const source = readFileSync(join(CORPUS, file), 'utf8');
  return { file, layout, source, result: parseRunbook(source, file) };
});

/**
 * A fenced command is byte-exact when its lines appear, in order and contiguous, in the source with
 * nothing but the container's indentation (list item, blockquote) in front of each.
 */
function appearsVerbatim(code: string, source: string): boolean {
  const codeLines = code.split('\n');
  const sourceLines = source.split(/\r?\n/);
  const matches = (line: string, want: string) =>
    want === ''
      ? /^[\s>]*$/.test(line)
      : line.endsWith(want) && /^[\s>]*$/.test(line.slice(0, line.length - want.length));
  return sourceLines.some((_, start) =>
    codeLines.every((want, k) => matches(sourceLines[start + k] ?? '', want)),
  );
}

describe('the corpus of 478 real runbooks', () => {
  it('has all 478 files and parses every one without throwing or front-matter errors', () => {
    expect(parsed).toHaveLength(478);
    const failures = parsed.filter((p) => p.result.issues.some((i) => i.level === 'error'));
    expect(failures.map((f) => [f.file, f.result.issues])).toEqual([]);
  });

  it.each(['L1', 'L2', 'L3', 'L4'])('%s files yield steps', (layout) => {
    const files = parsed.filter((p) => p.layout === layout);
    expect(files.length).toBeGreaterThan(0);
    const empty = files.filter((p) => p.result.runbook.steps.length === 0 && !EMPTY_PROCEDURES.has(p.file));
    expect(empty.map((p) => p.file)).toEqual([]);
  });

  it('keeps every fenced command byte-exact against its source', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const p of parsed) {
      for (const step of p.result.runbook.steps) {
        for (const command of step.commands) {
          checked++;
          // Commands taken from inline code in prose are checked as written between backticks.
          const inline = p.source.replace(/\s+/g, ' ').includes(command.code);
          if (!appearsVerbatim(command.code, p.source) && !(command.lang === null && inline))
            wrong.push(`${p.file} step ${step.number}: ${command.code.slice(0, 60)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it('keeps the language of fenced commands and Go templates inside them', () => {
    const etcd = parsed.find((p) =>
      p.file.endsWith('openshift__runbooks/alerts__cluster-etcd-operator__etcdMembersDown.md'),
    );
    const codes = etcd?.result.runbook.steps.flatMap((s) => s.commands) ?? [];
    expect(codes.some((c) => c.code.includes('{{.metadata.name}}'))).toBe(true);
    const virt = parsed.find((p) => p.file.endsWith('VirtControllerDown.md'))?.result.runbook as Runbook;
    expect(virt.steps[0]).toMatchObject({
      number: 1,
      title: 'Set the NAMESPACE environment variable',
      commands: [
        {
          lang: 'bash',
          code: '$ export NAMESPACE="$(oc get kubevirt -A -o custom-columns="":.metadata.namespace)"',
        },
      ],
    });
  });

  it('turns stubs and redirects into zero steps with the link they point to', () => {
    const stubs = parsed.filter((p) => p.layout === 'L8');
    expect(stubs).toHaveLength(7);
    for (const stub of stubs) {
      expect(stub.result.runbook.steps, stub.file).toEqual([]);
      expect(stub.result.runbook.source.layout).toBe('stub');
    }
    const raid = stubs.find((p) => p.file.endsWith('NodeRAIDDiskFailure.md'));
    expect(raid?.result.runbook.meta.redirect).toContain('NodeRAIDDegraded');
  });

  it('recognises the layouts it imports', () => {
    const count = (source: string, got: Layout) =>
      parsed.filter((p) => p.layout === source && p.result.runbook.source.layout === got).length;
    expect(count('L1', 'alert')).toBeGreaterThanOrEqual(350);
    expect(count('L2', 'symptoms')).toBeGreaterThanOrEqual(50);
    expect(count('L3', 'numbered')).toBeGreaterThanOrEqual(16);
    expect(count('L4', 'checklist')).toBeGreaterThanOrEqual(5);
  });

  it('reads "### Step N" headings without titles and inline commands in prose', () => {
    const patroni = parsed.find((p) => p.file.endsWith('docs__patroni__scale-up-patroni.md'))?.result
      .runbook as Runbook;
    const step3 = patroni.steps.find((s) =>
      s.commands.some((c) => c.code === 'systemctl enable patroni && systemctl start patroni'),
    );
    expect(step3?.title).toBe('Step 3');
    expect(patroni.source.layout).toBe('numbered');
  });

  it('turns nested task lists of a checklist into steps with verification checks', () => {
    const rotation = parsed.find((p) => p.file.endsWith('docs__gitaly__gitaly-token-rotation.md'))?.result
      .runbook as Runbook;
    expect(rotation.steps.length).toBeGreaterThan(5);
    expect(rotation.steps.some((s) => s.verifications.length > 0)).toBe(true);
  });
});
