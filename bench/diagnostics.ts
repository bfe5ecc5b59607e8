/**
 * Diagnostics timing, run with `npm run bench:diagnostics`; figures go to BENCHMARKS.md ("Issue 6").
 * 1. Five checks that each take one second (three HTTP, two shell) run in parallel: the run should take
 *    about one second, not five.
 * 2. A check that never answers is cut at its timeout: how far past the timeout the result comes back.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCheck, runChecks } from '../src/diagnostics/runner.ts';
import type { CheckContext } from '../src/diagnostics/types.ts';
import { type DiagnosticCheck, DiagnosticCheckSchema } from '../src/runbooks/model.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const context: CheckContext = { databases: {}, labels: {}, now: () => new Date() };

const server = createServer((req, res) => {
  if (req.url?.startsWith('/hang')) return; // never answers
  setTimeout(() => res.end('ok'), 1000);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const check = (c: Record<string, unknown>): DiagnosticCheck => DiagnosticCheckSchema.parse(c);
const oneSecond = [
  check({ id: 'http_a', kind: 'http_check', urls: [`${base}/a`] }),
  check({ id: 'http_b', kind: 'http_check', urls: [`${base}/b`] }),
  check({ id: 'http_c', kind: 'http_check', urls: [`${base}/c`] }),
  check({ id: 'sleep_a', kind: 'shell_command', command: ['sleep', '1'] }),
  check({ id: 'sleep_b', kind: 'shell_command', command: ['sleep', '1'] }),
];

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return `median ${median.toFixed(0)} ms (min ${sorted[0]?.toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)}, ${values.length} runs)`;
}

console.log(`node ${process.version}`);
await runChecks(oneSecond, context); // warm-up
const totals: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const results = await runChecks(oneSecond, context);
  totals.push(performance.now() - started);
  const bad = results.filter((r) => r.status !== 'healthy');
  if (bad.length) throw new Error(`unexpected statuses: ${JSON.stringify(bad)}`);
}
console.log(`five 1-second checks in parallel: ${stats(totals)}; sequential would be ~5000 ms`);

for (const timeout of ['1s', '2s', '5s']) {
  const ms = Number.parseInt(timeout, 10) * 1000;
  for (const [label, c] of [
    [
      'http, server never answers',
      check({ id: 'hang', kind: 'http_check', urls: [`${base}/hang`], timeout }),
    ],
    ['shell, sleep 60', check({ id: 'sleep', kind: 'shell_command', command: ['sleep', '60'], timeout })],
  ] as const) {
    const over: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const r = await runCheck(c, context);
      const elapsed = performance.now() - started;
      if (r.status !== 'error') throw new Error(`a timed-out check reported ${r.status}`);
      over.push(elapsed);
    }
    const worst = Math.max(...over);
    console.log(
      `timeout ${timeout} (${label}): ${stats(over)}; worst overshoot ${(((worst - ms) / ms) * 100).toFixed(2)}%`,
    );
  }
}
server.closeAllConnections();
server.close();
