/**
 * How much of a Markdown runbook reaches its parsed model, measured from the source lines alone (no use of
 * the importer's own parse), so the importer cannot flatter itself:
 * - fences: every fenced block's content must be some `code` string of the model, byte for byte (after
 *   removing the container indentation the Markdown parser removes too);
 * - prose lines: every other line with words must appear in the model's text, its words in order;
 * - warning lines: the prose lines that warn ("data loss", "do not", "never", ...);
 * - titles: a step title must not end where the source line wraps in the middle of a sentence.
 */

export interface Figure {
  total: number;
  kept: number;
  missing: string[];
}

export interface Fidelity {
  fences: Figure;
  prose: Figure;
  warnings: Figure;
  titles: Figure;
}

const WARNING_LINE =
  /\b(data loss|lose data|do not|don't|never|caution|warning|irreversibl[ey]|danger(ous)?|destructive|cannot be undone)\b/i;
/** Tags of HTML itself; `<pod>` or `<CLUSTER>` are placeholders the author wants read. */
export const HTML_TAG =
  /<\/?(a|abbr|b|blockquote|br|center|code|dd|del|details|div|dl|dt|em|font|h[1-6]|hr|i|img|ins|kbd|li|mark|ol|p|pre|s|small|span|strong|sub|summary|sup|table|tbody|td|th|thead|tr|u|ul)\b[^>]*>/gi;
const FENCE_OPEN = /^((?:\s*>)*)(\s*)(`{3,}|~{3,})(.*)$/;

function words(value: string): string[] {
  return value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Every string of the model, and every `code` string on its own. */
function modelStrings(model: unknown): { text: string; codes: Set<string> } {
  const parts: string[] = [];
  const codes = new Set<string>();
  const visit = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      parts.push(value);
      if (key === 'code') codes.add(value.replace(/\r\n?/g, '\n'));
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, key);
    } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(model, '');
  return { text: ` ${parts.flatMap(words).join(' ')} `, codes };
}

/** Markdown markup out, link targets kept (the model shows them after the link text). */
function proseWords(line: string): string[] {
  const plain = line
    .replace(/^(\s*>)*\s*/, '')
    .replace(/^#{1,6}\s+/, '')
    .replace(/^([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?/, '')
    // In-page anchors (`[Errors](#errors)`) carry no words of their own; other targets are kept.
    .replace(/!?\[([^\]]*)\]\(#[^)\s]*\)/g, '$1')
    .replace(/!?\[([^\]]*)\]\(([^)\s]*)(\s+"[^"]*")?\)/g, '$1 $2')
    .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/`([^`]*)`/g, (_, code: string) => code.replace(/[<>]/g, ' '))
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/<!--.*?-->/g, '')
    .replace(HTML_TAG, ' ');
  return words(plain);
}

function isSkippable(line: string): boolean {
  const t = line.replace(/^(\s*>)*\s*/, '');
  return (
    /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(t) || // table separator row
    /^\[[^\]]+\]:\s*\S+/.test(t) || // link definition
    /^([-*_]\s*){3,}$/.test(t) || // thematic break
    /^(=+|-+)$/.test(t) // setext underline
  );
}

interface SourceLines {
  fences: { code: string; line: number; indent: number }[];
  prose: { words: string[]; line: number; raw: string }[];
}

/** Splits a file into fenced blocks and prose lines, skipping front matter and HTML comments. */
export function scanSource(source: string): SourceLines {
  const lines = source.split(/\r?\n/);
  const out: SourceLines = { fences: [], prose: [] };
  let i = 0;
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0) i = end + 1;
  }
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*<!--/.test(line)) {
      while (i < lines.length && !(lines[i] ?? '').includes('-->')) i++;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open && !(open[3]?.startsWith('`') && open[4]?.includes('`'))) {
      i = readFence(lines, i, open, out);
      continue;
    }
    if (isSkippable(line)) continue;
    const w = proseWords(line);
    if (w.length) out.prose.push({ words: w, line: i + 1, raw: line });
  }
  return out;
}

function readFence(lines: string[], start: number, open: RegExpExecArray, out: SourceLines): number {
  const quotes = (open[1] ?? '').split('>').length - 1;
  const indent = (open[2] ?? '').replace(/\t/g, '    ').length;
  const marker = open[3] ?? '```';
  const body: string[] = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    let line = lines[i] ?? '';
    for (let q = 0; q < quotes; q++) line = line.replace(/^\s*> ?/, '');
    const close = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    if (close.test(line)) break;
    // An indented fence left open ends with its list item: a line indented less than the fence.
    const lead = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    if (indent >= 2 && line.trim() !== '' && lead === 0) {
      i--;
      break;
    }
    let k = 0;
    while (k < indent && (line[k] === ' ' || line[k] === '\t')) k++;
    body.push(line.slice(k));
  }
  if (i >= lines.length && body.at(-1) === '') body.pop();
  out.fences.push({ code: body.join('\n'), line: start + 1, indent });
  return i;
}

/** Measures one file against its model (or the models it was split into). */
export function measure(source: string, model: unknown, titles: string[]): Fidelity {
  const scanned = scanSource(source);
  const { text, codes } = modelStrings(model);
  const fences: Figure = { total: 0, kept: 0, missing: [] };
  for (const f of scanned.fences) {
    if (f.code.trim() === '') continue;
    fences.total++;
    // A "fence" indented four spaces outside a list is an indented code block holding the backticks.
    if (codes.has(f.code) || (f.indent >= 4 && [...codes].some((c) => c.includes(f.code)))) fences.kept++;
    else fences.missing.push(`${f.line}: ${f.code.slice(0, 60)}`);
  }
  const prose: Figure = { total: 0, kept: 0, missing: [] };
  const warnings: Figure = { total: 0, kept: 0, missing: [] };
  for (const p of scanned.prose) {
    const found = text.includes(` ${p.words.join(' ')} `);
    for (const fig of WARNING_LINE.test(p.raw) ? [prose, warnings] : [prose]) {
      fig.total++;
      if (found) fig.kept++;
      else fig.missing.push(`${p.line}: ${p.raw.trim().slice(0, 80)}`);
    }
  }
  return { fences, prose, warnings, titles: cutTitles(source, titles) };
}

/** A title cut at a hard wrap: it ends where a source line ends while the sentence goes on below. */
function cutTitles(source: string, titles: string[]): Figure {
  const lines = source.split(/\r?\n/);
  const fig: Figure = { total: titles.length, kept: 0, missing: [] };
  for (const title of titles) {
    const t = words(title.replace(/…$/, '')).join(' ');
    // The old defect: the title is exactly a source line whose sentence goes on, lower case, below it.
    const cut =
      !/[.!?:;)]$/.test(title.trim()) &&
      t.split(' ').length >= 3 &&
      lines.some((line, i) => {
        const next = lines[i + 1] ?? '';
        if (
          /^\s*#/.test(line) ||
          /[.:!?;]\s*$/.test(line) ||
          !/^\s*[a-z(]/.test(next) ||
          FENCE_OPEN.test(next)
        )
          return false;
        return proseWords(line).join(' ') === t;
      });
    if (cut) fig.missing.push(title);
    else fig.kept++;
  }
  return fig;
}

export function add(into: Fidelity, from: Fidelity, file: string): void {
  for (const key of ['fences', 'prose', 'warnings', 'titles'] as const) {
    into[key].total += from[key].total;
    into[key].kept += from[key].kept;
    into[key].missing.push(...from[key].missing.map((m) => `${file}:${m}`));
  }
}

export function emptyFidelity(): Fidelity {
  const fig = (): Figure => ({ total: 0, kept: 0, missing: [] });
  return { fences: fig(), prose: fig(), warnings: fig(), titles: fig() };
}

export function percent(f: Figure): number {
  return f.total === 0 ? 100 : (100 * f.kept) / f.total;
}
