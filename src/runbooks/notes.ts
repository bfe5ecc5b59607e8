import type { RootContent } from 'mdast';
import { lineOf } from './markdown.ts';
import type { Note, Runbook } from './model.ts';
import { blockText, words } from './render.ts';
import { isLabelText } from './steps.ts';

function modelWords(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(...words(value));
  else if (Array.isArray(value)) for (const v of value) modelWords(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) modelWords(v, into);
}

/**
 * The safety net of a lossless import: every block of the file whose words the model does not hold (in
 * order) becomes a note, which is shown and which lint reports with its line. Only the opening words of a
 * block are compared, which is enough to tell a placed block from a dropped one.
 */
export function unplacedNotes(blocks: readonly RootContent[], runbook: Runbook): Note[] {
  const all: string[] = [];
  modelWords({ ...runbook, meta: null, source: null }, all);
  const haystack = ` ${all.join(' ')} `;
  const notes: Note[] = [];
  for (const block of blocks) {
    if (block.type === 'code' || block.type === 'yaml' || block.type === 'definition') continue;
    const text = blockText(block);
    // A list is probed by its first item's words: steps drop the `1.` marker.
    const first = block.type === 'list' ? block.children[0]?.children[0] : block;
    // `Owner: X`, `- **Handles**: x` lines live in their fields, without the label.
    const line = (first ? blockText(first) : '').split('\n')[0] ?? '';
    const probe = words(line.replace(/^[^:]{1,40}:\s+(?=\S)/, '')).slice(0, 12);
    if (probe.length && !isLabelText(text) && !haystack.includes(` ${probe.join(' ')} `))
      notes.push({ text, line: lineOf(block) });
  }
  return notes;
}
