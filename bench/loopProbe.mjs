// Preloaded into the bot's process with NODE_OPTIONS=--import (bench/scale.ts): measures that process's own
// event loop, so the fake Slack and the load generator, in the bench's process, are not counted. Each block
// is split into the main thread's time on a CPU and its time waiting for one (Linux schedstat): on a loaded
// machine a 10 ms task can hold the loop 60 ms while the thread waits for a core. A small
// HTTP server on 127.0.0.1 (its port written to stderr as "loop-probe port N") opens and closes a window:
// POST /start (?profile=1 also starts V8's sampling profiler), POST /stop answers the window's longest
// event-loop delay, every GC pause with its kind, and the profile. Its own requests fall outside the window.
import { openSync, readSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

const delay = monitorEventLoopDelay({ resolution: 5 });

// The main thread's nanoseconds on a CPU and waiting in the run queue, read every TICK_MS: a gap between two
// ticks is a block, its deltas say how much of it was the bot's work (GC included) and how much the machine's.
const TICK_MS = 5;
/** Blocks from this long are listed one by one; shorter ones count toward the longest on-CPU figure only. */
const LIST_MS = 50;
const statFd = (() => {
  try {
    return openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
  } catch {
    return null;
  }
})();
const statBuf = Buffer.alloc(128);
function schedstat() {
  if (statFd === null) return { run: 0, wait: 0 };
  const n = readSync(statFd, statBuf, 0, statBuf.length, 0);
  const [run, wait] = statBuf.toString('latin1', 0, n).split(' ').map(Number);
  return { run, wait };
}
let ticker = null;
let last = null;
let blocks = [];
let maxCpuMs = 0;
function tick() {
  const now = { at: performance.now(), ...schedstat() };
  if (last) {
    const block = {
      from: last.at,
      to: now.at,
      ms: Math.max(0, now.at - last.at - TICK_MS),
      cpuMs: (now.run - last.run) / 1e6,
      waitMs: (now.wait - last.wait) / 1e6,
    };
    maxCpuMs = Math.max(maxCpuMs, block.cpuMs);
    if (block.ms >= LIST_MS) blocks.push(block);
  }
  last = now;
}
let gcs = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    gcs.push({
      start: e.startTime,
      ms: e.duration,
      kind: GC_KINDS[e.detail?.kind] ?? String(e.detail?.kind),
    });
});
const session = new Session();
let profiling = false;

const post = (method, params) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );

async function start(profile) {
  gcs = [];
  observer.observe({ entryTypes: ['gc'] });
  if (profile) {
    session.connect();
    await post('Profiler.enable');
    // 250 µs: a 50 ms block is some 200 samples.
    await post('Profiler.setSamplingInterval', { interval: 250 });
    await post('Profiler.start');
    profiling = true;
  }
  delay.reset();
  delay.enable();
  blocks = [];
  maxCpuMs = 0;
  last = null;
  tick();
  ticker = setInterval(tick, TICK_MS);
  ticker.unref();
}

/** The GC pauses that fell within `block`, in ms: a block asleep in the kernel waiting for GC threads shows here. */
function gcWithin(block) {
  let ms = 0;
  for (const gc of gcs)
    ms += Math.max(0, Math.min(block.to, gc.start + gc.ms) - Math.max(block.from, gc.start));
  return ms;
}

async function stop() {
  delay.disable();
  clearInterval(ticker);
  tick();
  observer.disconnect();
  for (const block of blocks) block.gcMs = gcWithin(block);
  let profile = null;
  if (profiling) {
    profile = (await post('Profiler.stop')).profile;
    await post('Profiler.disable');
    session.disconnect();
    profiling = false;
  }
  return { maxMs: delay.max / 1e6, maxCpuMs, blocks, schedstat: statFd !== null, gcs, profile };
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const work =
    url.pathname === '/start' ? start(url.searchParams.get('profile') === '1').then(() => ({})) : stop();
  work.then(
    (body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    },
    (error) => {
      res.writeHead(500);
      res.end(String(error));
    },
  );
});
server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`loop-probe port ${server.address().port}\n`);
});
// The probe must not keep a stopping bot alive.
server.unref();
