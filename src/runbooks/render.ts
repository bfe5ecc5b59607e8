import type { List, ListItem, Nodes, PhrasingContent, Table } from 'mdast';

/**
 * Plain text of Markdown blocks that loses nothing a responder reads: paragraphs separated by a blank line
 * (soft line breaks become spaces, so a sentence is never cut where the author wrapped it), lists with
 * their markers and nesting, tables row by row with cells separated, quotes kept as `> ` lines, and a
 * link's address after its text. Code is left out: fences become commands or examples of their own.
 */
export interface RenderOptions {
  /** Task items (`- [ ] x`) are verification checks: a step's text leaves them out. */
  skipTasks?: boolean;
}

/** The same paragraph is read several times (labels, options, fences' captions, text): rendered once. */
const inlineCache = new WeakMap<readonly PhrasingContent[], string>();

export function inlineText(nodes: readonly PhrasingContent[]): string {
  const hit = inlineCache.get(nodes);
  if (hit !== undefined) return hit;
  const value = nodes
    .map(inlineOf)
    .join('')
    .replace(/[ \t]*(\r?\n|\uE000)[ \t]*|[ \t][ \t]+|\t/g, (_, br?: string) => (br === '\uE000' ? '\n' : ' '))
    .trim();
  inlineCache.set(nodes, value);
  return value;
}

function inlineOf(node: PhrasingContent): string {
  switch (node.type) {
    case 'text':
      return node.value;
    case 'inlineCode':
      return node.value;
    // A hard break (two spaces or `\`) is kept as a line break; \uE000 survives the soft-break pass.
    case 'break':
      return '\uE000';
    case 'link': {
      const label = node.children.map(inlineOf).join('');
      return withUrl(label, node.url);
    }
    case 'image':
      return withUrl(node.alt ?? '', node.url);
    case 'html':
      if (/^<br\s*\/?>$/i.test(node.value)) return '\uE000';
      return HTML_TAG.test(node.value) || node.value.startsWith('<!') ? '' : node.value;
    case 'footnoteReference':
      return '';
    default:
      return 'children' in node ? (node.children as PhrasingContent[]).map(inlineOf).join('') : '';
  }
}

/** Tags of HTML itself; anything else in angle brackets (`<pod>`, `<CLUSTER>`) is a placeholder to keep. */
const HTML_TAG =
  /^<\/?(a|abbr|b|blockquote|br|center|code|dd|del|details|div|dl|dt|em|font|h[1-6]|hr|i|img|ins|kbd|li|mark|ol|p|pre|s|small|span|strong|sub|summary|sup|table|tbody|td|th|thead|tr|u|ul)\b[^>]*>$/i;

/** Dashboards and docs are links: their address reaches the responder too, unless it is the label. */
function withUrl(label: string, url: string): string {
  if (!url || url.startsWith('#') || label.trim() === url) return label || url;
  return label ? `${label} (${url})` : url;
}

/** Blocks joined by a blank line; empty blocks (code, comments, definitions) leave no gap. */
export function blocksText(nodes: readonly Nodes[], options: RenderOptions = {}): string {
  return nodes
    .map((n) => blockText(n, options))
    .filter(Boolean)
    .join('\n\n');
}

export function blockText(node: Nodes, options: RenderOptions = {}): string {
  switch (node.type) {
    case 'paragraph':
      return fieldLines(node.children) ?? inlineText(node.children);
    case 'heading':
      return inlineText(node.children);
    case 'list':
      return listText(node, options);
    case 'table':
      return tableText(node);
    case 'blockquote':
      return [admonitionLine(node.data), blocksText(node.children, options)]
        .filter(Boolean)
        .join('\n')
        .split('\n')
        .map((l) => (l ? `> ${l}` : '>'))
        .join('\n');
    case 'html':
      return htmlText(node.value);
    case 'code':
    case 'yaml':
    case 'definition':
    case 'thematicBreak':
      return '';
    case 'root':
    case 'footnoteDefinition':
      return blocksText(node.children as Nodes[], options);
    default:
      return 'children' in node ? inlineText(node.children as PhrasingContent[]) : '';
  }
}

/**
 * A paragraph of `Key: value` lines (`Severity: critical` / `Owner: SRE`) is a small table, not a
 * sentence wrapped by the author: its lines stay lines.
 */
function fieldLines(nodes: readonly PhrasingContent[]): string | null {
  const raw = nodes.map(inlineOf).join('');
  const lines = raw.split('\n');
  if (lines.length < 2 || !lines.every((l) => /^\s*[*_]*[\w][\w /()-]{0,30}[*_]*\s*:[*_]*\s+\S/.test(l)))
    return null;
  return lines.map((l) => l.replace(/[ \t]+/g, ' ').trim()).join('\n');
}

/** mkdocs and Hugo admonitions arrive as marked quotes: their kind and title open the quote's text. */
function admonitionLine(data: unknown): string {
  const adm = (data as { admonition?: { kind: string; title: string } } | undefined)?.admonition;
  if (!adm) return '';
  return adm.title ? `${adm.kind.toUpperCase()}: ${adm.title}` : adm.kind.toUpperCase();
}

/** Inline HTML blocks (`<details>`, `<b>Note</b>`): their text, without tags or comments. */
function htmlText(value: string): string {
  return value
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?[a-z][a-z0-9]*\b[^>]*>/gi, (tag) => (HTML_TAG.test(tag) ? '' : tag))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

function isTask(item: ListItem): boolean {
  return item.checked !== null && item.checked !== undefined;
}

export function listText(list: List, options: RenderOptions = {}): string {
  const start = list.start ?? 1;
  return list.children
    .map((item, i) => {
      if (options.skipTasks && isTask(item)) return nestedOnly(item, options);
      const marker = list.ordered ? `${start + i}. ` : '- ';
      const box = isTask(item) ? (item.checked ? '[x] ' : '[ ] ') : '';
      return indentItem(marker + box, itemBody(item, options));
    })
    .filter(Boolean)
    .join('\n');
}

/** A task item's nested plain items still carry prose the check does not. */
function nestedOnly(item: ListItem, options: RenderOptions): string {
  return item.children
    .filter((c): c is List => c.type === 'list')
    .map((l) => listText(l, options))
    .filter(Boolean)
    .join('\n');
}

/** An item's blocks: the first after its marker, the others on their own lines below, indented. */
export function itemBody(item: ListItem, options: RenderOptions = {}): string {
  return item.children
    .map((c) => blockText(c, options))
    .filter(Boolean)
    .join('\n');
}

function indentItem(marker: string, body: string): string {
  const pad = ' '.repeat(marker.length);
  return body
    .split('\n')
    .map((l, i) => (i === 0 ? marker + l : l ? pad + l : l))
    .join('\n');
}

function tableText(table: Table): string {
  return table.children
    .map((row) => row.children.map((cell) => inlineText(cell.children)).join(' | '))
    .join('\n');
}

/** The words of a rendered text, for comparisons that ignore markup. */
export function words(value: string): string[] {
  return value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
