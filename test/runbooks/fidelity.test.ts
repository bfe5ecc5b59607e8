import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbooks/parse.ts';
import { add, emptyFidelity, measure, percent } from '../support/fidelity.ts';

/**
 * The lossless promise measured over every file of the corpus (test/support/fidelity.ts reads the source
 * lines on its own, without the importer): fences byte-exact, warning and prose lines in the model's text,
 * no title cut where the author wrapped a line. The same measure runs on any folder with
 * `node --import tsx bench/fidelity.ts <dir>`.
 */
const CORPUS = 'test/fixtures/corpus';
const files = readFileSync(join(CORPUS, 'SOURCES.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t')[0] ?? '');

const total = emptyFidelity();
for (const file of files) {
  const source = readFileSync(join(CORPUS, file), 'utf8');
  const { runbook } = parseRunbook(source, file);
  add(
    total,
    measure(
      source,
      runbook,
      runbook.steps.map((s) => s.title),
    ),
    file,
  );
}

describe(`fidelity over the ${files.length} corpus files`, () => {
  it('prints the figures', () => {
    for (const [name, fig] of Object.entries(total))
      console.log(`corpus ${name}: ${fig.kept}/${fig.total} = ${percent(fig).toFixed(2)}%`);
    expect(files).toHaveLength(478);
  });

  it('keeps every fenced block byte-exact in its file model', () => {
    expect(total.fences.total).toBeGreaterThan(1400);
    expect(total.fences.missing).toEqual([]);
  });

  it('keeps at least 99% of the warning lines and 97% of all prose lines, words in order', () => {
    expect(total.warnings.total).toBeGreaterThan(200);
    expect(percent(total.warnings)).toBeGreaterThanOrEqual(99);
    expect(total.prose.total).toBeGreaterThan(15000);
    expect(percent(total.prose)).toBeGreaterThanOrEqual(97);
  });

  it('cuts no step title where the source line wraps mid-sentence', () => {
    expect(total.titles.total).toBeGreaterThan(2000);
    expect(total.titles.missing).toEqual([]);
  });
});

describe('the fidelity measure itself', () => {
  const source = [
    '# T',
    '',
    '1. Restart the primary node once the',
    '   replica has caught up. Do not skip this.',
    '',
    '   ```bash',
    '   systemctl restart db',
    '   ```',
    '',
    'See [the dashboard](https://grafana.example/d/1).',
  ].join('\n');

  it('finds a dropped fence, a dropped warning line and a title cut at the wrap', () => {
    const model = { steps: [{ title: 'Restart the primary node once the', text: '', commands: [] }] };
    const fig = measure(source, model, ['Restart the primary node once the']);
    expect(fig.fences).toEqual({ total: 1, kept: 0, missing: ['6: systemctl restart db'] });
    expect(fig.warnings.missing).toEqual(['4: replica has caught up. Do not skip this.']);
    expect(fig.prose).toEqual({
      total: 4,
      kept: 1,
      missing: [
        '1: # T',
        '4: replica has caught up. Do not skip this.',
        '10: See [the dashboard](https://grafana.example/d/1).',
      ],
    });
    expect(fig.titles.missing).toEqual(['Restart the primary node once the']);
  });

  it('passes the importer on the same file', () => {
    const { runbook } = parseRunbook(source, 'x.md');
    const fig = measure(
      source,
      runbook,
      runbook.steps.map((s) => s.title),
    );
    expect(fig.fences.missing).toEqual([]);
    expect(fig.prose.missing).toEqual([]);
    expect(fig.titles.missing).toEqual([]);
    expect(runbook.steps[0]?.title).toBe('Restart the primary node once the replica has caught up.');
  });
});
