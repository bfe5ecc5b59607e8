import { createRequire } from 'node:module';
import type { Heading, List, ListItem, Nodes, Root, RootContent } from 'mdast';
import type { Options } from 'mdast-util-from-markdown';
import { toString as mdastToString } from 'mdast-util-to-string';
import { blocksText } from './render.ts';

const require = createRequire(import.meta.url);

interface Parser {
  fromMarkdown: (source: string, options: Options) => Root;
  withFrontMatter: Options;
  plain: Options;
}
let parser: Parser | null = null;

/**
 * micromark, mdast and their GFM and front matter extensions (some 11 MiB of modules) load the first time a
 * runbook is parsed, not at start: a bot whose runbooks are all in the parse cache never loads them.
 * `require` of these ES modules is synchronous (Node >= 20.19), so parsing stays a plain function.
 */
function markdownParser(): Parser {
  if (parser) return parser;
  const { fromMarkdown } = require('mdast-util-from-markdown') as typeof import('mdast-util-from-markdown');
  const { frontmatterFromMarkdown } =
    require('mdast-util-frontmatter') as typeof import('mdast-util-frontmatter');
  const { gfmFromMarkdown } = require('mdast-util-gfm') as typeof import('mdast-util-gfm');
  const { frontmatter } =
    require('micromark-extension-frontmatter') as typeof import('micromark-extension-frontmatter');
  const { gfm } = require('micromark-extension-gfm') as typeof import('micromark-extension-gfm');
  // Built once: gfm() combines five syntax extensions each time it is called, which a parse per file repeated.
  const GFM = gfm();
  const GFM_MDAST = gfmFromMarkdown();
  parser = {
    fromMarkdown: (source, options) => fromMarkdown(source, options),
    withFrontMatter: {
      extensions: [GFM, frontmatter(['yaml'])],
      mdastExtensions: [GFM_MDAST, frontmatterFromMarkdown(['yaml'])],
    },
    plain: { extensions: [GFM], mdastExtensions: [GFM_MDAST] },
  };
  return parser;
}

/** Whether this process has loaded the Markdown parser (start-up memory: see markdownParser). */
export const markdownParserLoaded = (): boolean => parser !== null;

/** GFM gives task-list items (`- [ ]`); the front matter extension keeps `---` blocks from becoming setext H2s. */
export function parseMarkdown(source: string): Root {
  const { fromMarkdown, withFrontMatter } = markdownParser();
  return fromMarkdown(source, withFrontMatter);
}

/** Markdown without front matter: an admonition body parsed again, where `---` is a rule, not YAML. */
export function parseMarkdownPlain(source: string): Root {
  const { fromMarkdown, plain } = markdownParser();
  return fromMarkdown(source, plain);
}

/** Plain text of a node, whitespace collapsed: `**Handles**: x` reads "Handles: x". */
export function text(node: Nodes | Nodes[]): string {
  const nodes = Array.isArray(node) ? node : [node];
  return nodes
    .map((n) => mdastToString(n, { includeHtml: false }))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function lineOf(node: { position?: { start: { line: number } } | undefined }): number {
  return node.position?.start.line ?? 1;
}

/** A heading and everything under it until the next heading of the same or a higher level. */
export interface Section {
  title: string;
  depth: number;
  line: number;
  /** Content between this heading and its first subsection. */
  content: RootContent[];
  subsections: Section[];
}

/** Builds the heading tree; content before the first heading lands in the root section (depth 0). */
export function sectionize(root: Root): Section {
  const top: Section = { title: '', depth: 0, line: 1, content: [], subsections: [] };
  const stack: Section[] = [top];
  for (const node of root.children) {
    if (node.type === 'heading') {
      const section: Section = {
        title: headingTitle(node),
        depth: node.depth,
        line: lineOf(node),
        content: [],
        subsections: [],
      };
      while ((stack.at(-1) as Section).depth >= node.depth) stack.pop();
      (stack.at(-1) as Section).subsections.push(section);
      stack.push(section);
    } else if (node.type !== 'yaml') {
      (stack.at(-1) as Section).content.push(node);
    }
  }
  return top;
}

/** Heading text without inline HTML anchors such as `<a name="x"></a>`. */
function headingTitle(node: Heading): string {
  return text(node.children.filter((c) => c.type !== 'html'));
}

/** Every node of a section, its subsections' headings' content included, in document order. */
export function allContent(section: Section): RootContent[] {
  return [...section.content, ...section.subsections.flatMap(allContent)];
}

export function walk(nodes: Nodes[], visit: (node: Nodes) => void): void {
  for (const node of nodes) {
    visit(node);
    if ('children' in node) walk(node.children as Nodes[], visit);
  }
}

export function findAll<T extends Nodes['type']>(nodes: Nodes[], type: T): Extract<Nodes, { type: T }>[] {
  const found: Extract<Nodes, { type: T }>[] = [];
  walk(nodes, (n) => {
    if (n.type === type) found.push(n as Extract<Nodes, { type: T }>);
  });
  return found;
}

/** The item's own paragraph text, without nested lists or code. */
export function itemText(item: ListItem): string {
  return blocksText(item.children.filter((c) => c.type !== 'list' && c.type !== 'code'))
    .replace(/\s+/g, ' ')
    .trim();
}

export function nestedLists(item: ListItem): List[] {
  return item.children.filter((c): c is List => c.type === 'list');
}

export function normalizeTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
