/**
 * Fidelity of the importer on any folder of Markdown runbooks (the corpus, or a repository it has never
 * seen): `node --import tsx bench/fidelity.ts <dir> [--missing]`. Prints the figures of test/support/fidelity.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseRunbook } from '../src/runbooks/parse.ts';
import { add, emptyFidelity, measure, percent } from '../test/support/fidelity.ts';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (name.startsWith('.') || name === 'node_modules') return [];
      if (statSync(full).isDirectory()) return markdownFiles(full);
      return /\.(md|markdown|md\.erb)$/i.test(name) ? [full] : [];
    });
}

const [dir = 'test/fixtures/corpus', flag] = process.argv.slice(2);
const total = emptyFidelity();
const files = markdownFiles(dir);
for (const full of files) {
  const source = readFileSync(full, 'utf8');
  const file = relative(dir, full);
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
console.log(`${dir}: ${files.length} files`);
for (const [name, fig] of Object.entries(total)) {
  console.log(`  ${name}: ${fig.kept}/${fig.total} = ${percent(fig).toFixed(2)}%`);
  if (flag === '--missing') for (const m of fig.missing.slice(0, 400)) console.log(`    ${m}`);
}
