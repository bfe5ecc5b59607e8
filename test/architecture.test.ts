import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering of DESIGN.md, read from the import graph of src/ so that it stays true: domain/ is pure,
// the scheduler and the intake never reach into Slack, adapters meet only through usecases/ ports and
// domain/, no file imports itself through a cycle, and no file outgrows 400 lines.

const SRC = resolve('src');
const ADAPTERS = ['slack', 'intake', 'scheduler', 'integrations', 'store'];
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import and re-export of a file (static, type-only and dynamic), as paths under src/. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s+'([^']+)'/gm),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((match) => match[1] as string);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(SRC, resolve(dirname(file), specifier)));
}

const files = sourceFiles(SRC);
const texts = new Map(files.map((file) => [relative(SRC, file), readFileSync(file, 'utf8')]));
const graph = new Map(
  files.map((file) => [relative(SRC, file), importsOf(file, texts.get(relative(SRC, file)) ?? '')]),
);

/** The top folder of a file of src/ (`slack` for slack/blocks/kit.ts), or the file itself at the top. */
const area = (path: string) => path.split('/')[0] as string;

function edges(): { from: string; to: string }[] {
  return [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
}

/** Each import cycle once, as the files on it (Tarjan's strongly connected components). */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (stack.includes(next))
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member) component.push(member);
    } while (member !== node);
    const selfImport = (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfImport) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** Adapter-to-adapter imports allowed: none (everything reaches the store through usecases/ports/store.ts). */
const KNOWN_ADAPTER_IMPORTS: string[] = [];

describe('the import graph of src/', () => {
  it('finds the imports it checks (a parser that sees nothing would pass every rule)', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(graph.get('slack/chat.ts')).toEqual(
      expect.arrayContaining(['usecases/ports/chat.ts', 'slack/blocks/replies.ts', 'slack/workflow.ts']),
    );
    expect(
      importsOf(join(SRC, 'x/a.ts'), "import type { A } from '../domain/b.ts';\nexport * from './c.ts';"),
    ).toEqual(['domain/b.ts', 'x/c.ts']);
  });

  it('keeps domain/ pure: it imports nothing of src/ outside itself', () => {
    const outside = edges().filter(({ from, to }) => area(from) === 'domain' && area(to) !== 'domain');
    expect(outside).toEqual([]);
  });

  it('keeps the scheduler and the intake out of Slack', () => {
    const intoSlack = edges().filter(
      ({ from, to }) => (area(from) === 'scheduler' || area(from) === 'intake') && area(to) === 'slack',
    );
    expect(intoSlack).toEqual([]);
  });

  it('has adapters meet only through usecases/ and domain/ (the remaining exceptions listed, to shrink)', () => {
    const crossing = edges()
      .filter(({ from, to }) => ADAPTERS.includes(area(from)) && ADAPTERS.includes(area(to)))
      .filter(({ from, to }) => area(from) !== area(to))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect([...new Set(crossing)].sort()).toEqual([...KNOWN_ADAPTER_IMPORTS].sort());
  });

  it('keeps use cases free of adapters', () => {
    const out = edges().filter(({ from, to }) => area(from) === 'usecases' && ADAPTERS.includes(area(to)));
    expect(out).toEqual([]);
  });

  it('keeps every "after X do Y" rule out of Slack: no flow files, and the timers reach Slack only through use cases', () => {
    const flows = [...graph.keys()].filter((path) => area(path) === 'slack' && /Flows?\.ts$/.test(path));
    expect(flows).toEqual([]);
    // What a timer does is a use case's business; the Slack implementation of the port only forwards.
    const timerImports = graph.get('slack/timerActions.ts') ?? [];
    expect(timerImports.length).toBeGreaterThan(0);
    expect(timerImports.filter((to) => area(to) !== 'usecases')).toEqual([]);
    // The two walkthroughs of ARCHITECTURE.md each live in one use-case file.
    expect(texts.get('usecases/escalate.ts')).toContain(
      'async escalate(incident: Incident, payload: TimerPayload',
    );
    expect(texts.get('usecases/statusUpdate.ts')).toContain(
      'async post(incidentId: number, input: UpdatePrefill',
    );
  });

  it('has no import cycle between files', () => {
    expect(cycles()).toEqual([]);
  });

  it('has no file over 400 lines', () => {
    const long = [...texts]
      .map(([path, text]) => ({ path, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
