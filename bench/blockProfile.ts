/**
 * What held the event loop (issue 19): the V8 CPU profiler of this process, started and stopped around a
 * window (node:inspector, no restart, no flag), and the window's longest busy stretch (consecutive samples
 * that are not "(idle)", under one entry of the event loop: about one task) attributed two ways: the code the samples were in (a package of node_modules, a
 * file of src/, the garbage collector, native), and the innermost function of src/ on the stack (what of
 * ours asked for that work). With GC pauses from perf_hooks, this names the cause of a long block.
 */
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface BusyStretch {
  ms: number;
  /** Share of the stretch's samples by where they ran, largest first. */
  where: [string, number][];
  /** Share by the innermost src/ function on the stack, largest first. */
  ours: [string, number][];
}

const IDLE = '(idle)';

function shortUrl(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  const src = /\/(src\/.*)$/.exec(url);
  if (src) return src[1] ?? url;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

function whereOf(node: ProfileNode, parent: Map<number, ProfileNode>): string {
  let at: ProfileNode | undefined = node;
  // Native frames have no URL: charge them to the nearest caller that has one (e.g. better-sqlite3's all).
  while (at && !at.callFrame.url) {
    const name = at.callFrame.functionName;
    if (name.startsWith('(')) return name === '(program)' ? 'native (program)' : name;
    const up = parent.get(at.id);
    if (!up?.callFrame.url) {
      at = up;
      continue;
    }
    return `${shortUrl(up.callFrame.url)} (native ${name || 'code'})`;
  }
  return at ? shortUrl(at.callFrame.url) : 'native';
}

function oursOf(node: ProfileNode, parent: Map<number, ProfileNode>): string {
  for (let at: ProfileNode | undefined = node; at; at = parent.get(at.id)) {
    const src = /\/(src\/.*)$/.exec(at.callFrame.url);
    if (src) return `${src[1]}:${at.callFrame.functionName || '(anonymous)'}`;
  }
  return '(no src/ frame)';
}

function shares(counts: Map<string, number>, total: number): [string, number][] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, n]) => [k, Math.round((100 * n) / total)]);
}

/** The longest run of non-idle samples of `profile`, attributed. */
export function longestBusy(profile: Profile): BusyStretch {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  // The entry of a sample's stack (the child of the root): a timer, the immediates, an I/O callback. A new
  // entry starts a new task, so a stretch is one turn of the event loop, not several run back to back. GC
  // and native samples sit under the root too, in the middle of a task: they do not end it.
  const entryOf = (id: number): number | null => {
    let at = byId.get(id);
    while (at) {
      const up = parent.get(at.id);
      if (!up || !parent.has(up.id)) return at.callFrame.functionName.startsWith('(') ? null : at.id;
      at = up;
    }
    return null;
  };
  let best = { from: 0, to: 0, us: 0 };
  let from = 0;
  let us = 0;
  let entry: number | null = null;
  profile.samples.forEach((id, i) => {
    if (byId.get(id)?.callFrame.functionName === IDLE) {
      from = i + 1;
      us = 0;
      entry = null;
      return;
    }
    const next = entryOf(id);
    if (next !== null && entry !== null && next !== entry) {
      from = i;
      us = 0;
    }
    if (next !== null) entry = next;
    us += profile.timeDeltas[i + 1] ?? 0;
    if (us > best.us) best = { from, to: i + 1, us };
  });
  const where = new Map<string, number>();
  const ours = new Map<string, number>();
  for (const id of profile.samples.slice(best.from, best.to)) {
    const node = byId.get(id);
    if (!node) continue;
    const w = whereOf(node, parent);
    where.set(w, (where.get(w) ?? 0) + 1);
    const o = oursOf(node, parent);
    ours.set(o, (ours.get(o) ?? 0) + 1);
  }
  const n = Math.max(1, best.to - best.from);
  return { ms: best.us / 1000, where: shares(where, n), ours: shares(ours, n) };
}

/** Profiles this process between start() and stop(); GC pauses are gathered over the same window. */
export class BlockProfiler {
  private readonly session = new Session();
  private gcMs: number[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) this.gcMs.push(e.duration);
  });

  async start(): Promise<void> {
    this.gcMs = [];
    this.observer.observe({ entryTypes: ['gc'] });
    this.session.connect();
    await this.session.post('Profiler.enable');
    // 250 µs: a 50 ms block is some 200 samples.
    await this.session.post('Profiler.setSamplingInterval', { interval: 250 });
    await this.session.post('Profiler.start');
  }

  async stop(): Promise<{ busy: BusyStretch; longestGcMs: number }> {
    const { profile } = (await this.session.post('Profiler.stop')) as unknown as { profile: Profile };
    await this.session.post('Profiler.disable');
    this.session.disconnect();
    this.observer.disconnect();
    return { busy: longestBusy(profile), longestGcMs: Math.max(0, ...this.gcMs) };
  }
}

export const formatShares = (s: [string, number][]) => s.map(([k, p]) => `${k} ${p}%`).join(', ');
