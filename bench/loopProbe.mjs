// Preloaded into the bot's process with NODE_OPTIONS=--import (bench/scale.ts): measures that process's own
// event loop, so the fake Slack and the load generator, in the bench's process, are not counted. A small
// HTTP server on 127.0.0.1 (its port written to stderr as "loop-probe port N") opens and closes a window:
// POST /start (?profile=1 also starts V8's sampling profiler), POST /stop answers the window's longest
// event-loop delay, every GC pause with its kind, and the profile. Its own requests fall outside the window.
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
let gcs = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    gcs.push({ ms: e.duration, kind: GC_KINDS[e.detail?.kind] ?? String(e.detail?.kind) });
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
}

async function stop() {
  delay.disable();
  observer.disconnect();
  let profile = null;
  if (profiling) {
    profile = (await post('Profiler.stop')).profile;
    await post('Profiler.disable');
    session.disconnect();
    profiling = false;
  }
  return { maxMs: delay.max / 1e6, gcs, profile };
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
