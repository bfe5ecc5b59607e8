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
export interface Profile {
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
  const src = srcPath(url);
  if (src) return src;
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
    const src = srcPath(at.callFrame.url);
    if (src) return `${src}:${at.callFrame.functionName || '(anonymous)'}`;
  }
  return '(no src/ frame)';
}

function shares(counts: Map<string, number>, total: number): [string, number][] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, n]) => [k, Math.round((100 * n) / total)]);
}

/** Which part of the bot a sample served: the first group whose file is on its stack, else "other". */
const GROUPS: [string, RegExp][] = [
  [
    'Home refresh',
    /^src\/(slack\/home|slack\/blocks\/home|services\/urgentBoard|services\/postmortemService|domain\/stats|domain\/milestones)\.ts$/,
  ],
  [
    'declare',
    /^src\/(usecases\/declare|slack\/openChannel|slack\/openJobs|app\/chatJobs|scheduler\/jobRunner|slack\/listeners\/commands\/incident)\.ts$/,
  ],
];

/** `src/<path>.ts` of a frame of the bot, run from its sources or compiled (dist/, .test-dist/); else null. */
function srcPath(url: string): string | null {
  if (url.includes('node_modules')) return null;
  const m = /\/(?:src|dist|\.test-dist)\/(.*)\.(?:ts|js)$/.exec(url);
  return m ? `src/${m[1]}.ts` : null;
}

function groupOf(node: ProfileNode, parent: Map<number, ProfileNode>): string {
  if (node.callFrame.functionName === '(garbage collector)') return 'GC';
  const files = new Set<string>();
  for (let at: ProfileNode | undefined = node; at; at = parent.get(at.id)) {
    const path = srcPath(at.callFrame.url);
    if (path) files.add(path);
  }
  for (const [name, pattern] of GROUPS) for (const path of files) if (pattern.test(path)) return name;
  return 'other';
}

interface Stretch {
  from: number;
  to: number;
  us: number;
}

/** Runs of non-idle samples under one entry of the event loop (about one task each), in order. */
function stretches(profile: Profile, byId: Map<number, ProfileNode>, parent: Map<number, ProfileNode>) {
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
  const out: Stretch[] = [];
  let current: Stretch | null = null;
  let entry: number | null = null;
  profile.samples.forEach((id, i) => {
    if (byId.get(id)?.callFrame.functionName === IDLE) {
      current = null;
      entry = null;
      return;
    }
    const next = entryOf(id);
    if (next !== null && entry !== null && next !== entry) current = null;
    if (next !== null) entry = next;
    if (!current) {
      current = { from: i, to: i, us: 0 };
      out.push(current);
    }
    current.to = i + 1;
    current.us += profile.timeDeltas[i + 1] ?? 0;
  });
  return out;
}

function attribute(
  stretch: Stretch,
  profile: Profile,
  byId: Map<number, ProfileNode>,
  parent: Map<number, ProfileNode>,
): AttributedStretch {
  const where = new Map<string, number>();
  const ours = new Map<string, number>();
  const groups = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const id of profile.samples.slice(stretch.from, stretch.to)) {
    const node = byId.get(id);
    if (!node) continue;
    add(where, whereOf(node, parent));
    add(ours, oursOf(node, parent));
    add(groups, groupOf(node, parent));
  }
  const n = Math.max(1, stretch.to - stretch.from);
  const group = shares(groups, n);
  return {
    ms: stretch.us / 1000,
    where: shares(where, n),
    ours: shares(ours, n),
    groups: group,
    cause: group[0]?.[0] ?? 'other',
  };
}

export interface AttributedStretch extends BusyStretch {
  /** Share by the part of the bot served: Home refresh, declare, GC, other. */
  groups: [string, number][];
  /** The part with the most samples. */
  cause: string;
}

function indexed(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  return { byId, parent };
}

/** The longest run of non-idle samples of `profile`, attributed. */
export function longestBusy(profile: Profile): AttributedStretch {
  const { byId, parent } = indexed(profile);
  const all = stretches(profile, byId, parent);
  const best = all.reduce<Stretch>((a, b) => (b.us > a.us ? b : a), { from: 0, to: 0, us: 0 });
  return attribute(best, profile, byId, parent);
}

/** Every busy stretch of at least `minMs`, attributed, longest first. */
export function busyOver(profile: Profile, minMs: number): AttributedStretch[] {
  const { byId, parent } = indexed(profile);
  return stretches(profile, byId, parent)
    .filter((s) => s.us / 1000 >= minMs)
    .sort((a, b) => b.us - a.us)
    .map((s) => attribute(s, profile, byId, parent));
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
