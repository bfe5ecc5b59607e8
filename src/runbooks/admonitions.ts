import type { Blockquote, Code, Nodes, Paragraph, Parents, Root, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import { lineOf, parseMarkdownPlain } from './markdown.ts';
import type { Warning } from './model.ts';
import { blocksText, inlineText } from './render.ts';

type Level = Warning['level'];
/** What the importer records on a blockquote that stands for an admonition of another syntax. */
interface AdmonitionData {
  admonition: { kind: string; title: string };
}

const LEVELS: [RegExp, Level | null][] = [
  [/^(danger|error|failure|fail|bug|critical)$/, 'danger'],
  [/^(caution)$/, 'caution'],
  [/^(warning|warn|attention|alert)$/, 'warning'],
  [/^(important)$/, 'important'],
];
const KINDS = 'warning|warn|caution|danger|important|attention|error|critical|note|tip|info|hint';
const MKDOCS = /^(?:!!!|\?\?\?\+?)[ \t]*([\w-]+)(?:[ \t]+"([^"]*)")?[ \t]*(?:\n([\s\S]*))?$/;
/** A pymdownx content tab (`=== "Bash"`): its indented body is Markdown, not code. */
const MKDOCS_TAB = /^===\+?[ \t]+"[^"]*"[ \t]*$/;
const HUGO_OPEN = /^\{\{[<%]\s*([\w-]+)([^}]*?)\s*\/?[>%]\}\}[ \t]*\n?/;
const HUGO_KINDS = new RegExp(`^(${KINDS}|notice|alert|admonition|callout|hint|box)$`, 'i');
const GITHUB = /^\[!(\w+)\][ \t]*/;
const LABEL = new RegExp(`^(?:⚠️?\\s*)?(${KINDS})\\b\\s*[:!.-]?\\s*`, 'i');
/** Sentences that warn even when the author did not mark them. */
const WARNING_SENTENCE =
  /\b(data loss|lose (all |any |the )?data|loss of data|do not|don't|never|caution|irreversibl[ey]|cannot be (undone|reversed)|can't be undone|destructive|permanently|be careful|careful not to|must not|under no circumstances|warning|dangerous)\b/i;
const DANGER_WORDS =
  /data loss|lose .*data|loss of data|irreversib|cannot be|can't be undone|destructive|permanently/i;

export function levelOf(kind: string): Level | null {
  const k = kind.toLowerCase();
  for (const [pattern, level] of LEVELS) if (pattern.test(k)) return level;
  return null;
}

/**
 * Rewrites the admonitions of mkdocs (`!!! warning "Title"` + indented body) and Hugo shortcodes
 * (`{{< warning >}}...{{< /warning >}}`, `{{% notice warning %}}`) into blockquotes marked with their kind,
 * so the rest of the importer reads one syntax. `source` tells an indented body from a fence.
 */
export function normalizeAdmonitions(root: Root, source: string): void {
  const visit = (parent: Parents) => {
    if (parent.children.some(isMarker)) parent.children = rewrite(parent.children as RootContent[], source);
    for (const child of parent.children) if ('children' in child) visit(child as Parents);
  };
  visit(root);
}

function isMarker(node: Nodes): boolean {
  if (node.type !== 'paragraph') return false;
  const t = mdastToString(node);
  return MKDOCS.test(t) || HUGO_OPEN.test(t) || MKDOCS_TAB.test(t);
}

function rewrite(children: RootContent[], source: string): RootContent[] {
  const out: RootContent[] = [];
  for (let i = 0; i < children.length; i++) {
    const node = children[i] as RootContent;
    const value = node.type === 'paragraph' ? mdastToString(node) : '';
    const next = children[i + 1];
    if (MKDOCS_TAB.test(value) && next?.type === 'code' && isIndentedCode(next, source)) {
      out.push(node, ...reparse(next));
      i++;
      continue;
    }
    const mk = MKDOCS.exec(value);
    if (mk) {
      const indented = next?.type === 'code' && isIndentedCode(next, source) ? next : null;
      const body = [...textBlocks(mk[3] ?? '', node), ...(indented ? reparse(indented) : [])];
      if (indented) i++;
      out.push(quote(mk[1] ?? 'note', mk[2] ?? '', body, node, indented ?? node));
      continue;
    }
    const hugo = HUGO_OPEN.exec(value);
    if (hugo) {
      const { kind, title } = hugoKind(hugo[1] ?? '', hugo[2] ?? '');
      const close = new RegExp(`\\{\\{[<%]\\s*/\\s*${hugo[1]}\\s*[>%]\\}\\}`);
      const rest = value.slice(hugo[0].length);
      const body: RootContent[] = [];
      let last: RootContent = node;
      if (close.test(rest)) body.push(...textBlocks(rest.replace(close, ''), node));
      else {
        body.push(...textBlocks(rest, node));
        for (i++; i < children.length; i++) {
          last = children[i] as RootContent;
          const t = last.type === 'paragraph' ? mdastToString(last) : '';
          if (!close.test(t)) {
            body.push(last);
            continue;
          }
          body.push(...textBlocks(t.replace(close, ''), last));
          break;
        }
      }
      out.push(quote(kind, title, body, node, last));
      continue;
    }
    out.push(node);
  }
  return out;
}

function hugoKind(name: string, params: string): { kind: string; title: string } {
  const title = /title="([^"]*)"/.exec(params)?.[1] ?? '';
  if (!HUGO_KINDS.test(name)) return { kind: 'note', title };
  const param = /(?:type|color|style)?=?"?\b(warning|caution|danger|important|note|tip|info|error)\b/i.exec(
    params,
  );
  return { kind: levelOf(name) || !param ? name : (param[1] ?? 'note'), title };
}

function isIndentedCode(code: Code, source: string): boolean {
  const start = code.position?.start.offset;
  if (start === undefined) return false;
  const lineStart = source.lastIndexOf('\n', start) + 1;
  return !/^\s*(```|~~~)/.test(source.slice(lineStart, start + 4));
}

/** An mkdocs admonition body is Markdown indented by four spaces: parsed again, lines kept. */
function reparse(code: Code): RootContent[] {
  const offset = (code.position?.start.line ?? 1) - 1;
  const body = parseMarkdownPlain(code.value).children;
  const shift = (n: Nodes) => {
    if (n.position) {
      n.position = {
        start: { ...n.position.start, line: n.position.start.line + offset },
        end: { ...n.position.end, line: n.position.end.line + offset },
      };
    }
    if ('children' in n) for (const c of n.children) shift(c as Nodes);
  };
  body.forEach(shift);
  return body;
}

function textBlocks(value: string, at: RootContent): Paragraph[] {
  return value
    .split(/\n\s*\n/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => ({ type: 'paragraph', children: [{ type: 'text', value: t }], position: at.position }));
}

function quote(kind: string, title: string, children: RootContent[], first: RootContent, last: RootContent) {
  const data: AdmonitionData = { admonition: { kind, title } };
  const start = first.position?.start;
  const end = last.position?.end;
  return {
    type: 'blockquote',
    children: children as Blockquote['children'],
    data,
    position: start && end ? { start, end } : undefined,
  } as Blockquote;
}

/** The kind and title of an admonition blockquote, whichever syntax it was written in; null for a plain quote. */
export function admonitionOf(node: Blockquote): { kind: string; title: string } | null {
  const marked = (node.data as Partial<AdmonitionData> | undefined)?.admonition;
  if (marked) return marked;
  const first = node.children[0];
  if (first?.type !== 'paragraph') return null;
  const head = inlineText(first.children);
  const github = GITHUB.exec(head);
  if (github) return { kind: github[1] ?? 'note', title: '' };
  const lead = first.children[0];
  const label = LABEL.exec(lead?.type === 'strong' ? mdastToString(lead) : head);
  return label && (lead?.type === 'strong' || /^[^:]{0,20}:/.test(head))
    ? { kind: label[1] ?? '', title: '' }
    : null;
}

/** A paragraph that opens with a warning label (`**Warning**:`, `CAUTION:`, `⚠️ Danger`): its level. */
function labelledParagraph(node: Paragraph): Level | null {
  const lead = node.children[0];
  const head = inlineText(node.children);
  const label = LABEL.exec(lead?.type === 'strong' ? mdastToString(lead) : head);
  if (!label || !(lead?.type === 'strong' || /^⚠|^[A-Z]+:/.test(head))) return null;
  return levelOf(label[1] ?? '');
}

function withoutMarker(text: string): string {
  return text.replace(/^> /gm, '').replace(GITHUB, '').replace(LABEL, '').trim();
}

/**
 * Warnings among a step's blocks: admonitions of every syntax, paragraphs labelled as warnings, and
 * sentences that warn ("This will induce data loss", "Do not restart the primary"). Code is not read.
 */
export function warningsOf(nodes: readonly Nodes[]): Warning[] {
  const found: Warning[] = [];
  const visit = (node: Nodes) => {
    if (node.type === 'code' || node.type === 'html') return;
    if (node.type === 'blockquote') {
      const adm = admonitionOf(node);
      const level = adm ? levelOf(adm.kind) : null;
      if (adm && level) {
        const body = withoutMarker(blocksText(node.children));
        const text = adm.title ? `${adm.title}: ${body}` : body;
        found.push({ level, text: text || adm.kind, line: lineOf(node) });
        return;
      }
    }
    if (node.type === 'paragraph') {
      const level = labelledParagraph(node);
      const text = inlineText(node.children);
      if (level) found.push({ level, text: withoutMarker(text), line: lineOf(node) });
      else found.push(...warningSentences(text, lineOf(node)));
      return;
    }
    if ('children' in node) for (const c of node.children) visit(c as Nodes);
  };
  nodes.forEach(visit);
  return found;
}

export function warningSentences(text: string, line: number): Warning[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"'(`*])/)
    .filter((s) => WARNING_SENTENCE.test(s))
    .map((s) => ({
      level: DANGER_WORDS.test(s) ? 'danger' : /caution|careful/i.test(s) ? 'caution' : 'warning',
      text: s.trim(),
      line,
    }));
}
