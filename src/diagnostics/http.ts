import type { Item, Probe } from './types.ts';

/**
 * `http_check`: each URL once, status code and latency. Fields for thresholds: `status`, `latency` (ms),
 * `unreachable`, `ready` (answered with the expected status), `slow` (over max_latency_ms).
 */
export const httpProbe: Probe<'http_check'> = {
  kind: 'http_check',
  async observe(check, _context, signal) {
    const items = await Promise.all(
      check.urls.map(async (url): Promise<Item> => {
        const started = performance.now();
        try {
          const res = await fetch(url, { signal, redirect: 'manual' });
          await res.arrayBuffer().catch(() => undefined);
          const latency = Math.round(performance.now() - started);
          const ready = check.expect_status ? res.status === check.expect_status : res.status < 400;
          const slow = check.max_latency_ms !== undefined && latency > check.max_latency_ms;
          return { name: url, status: res.status, latency, unreachable: false, reachable: true, ready, slow };
        } catch (error) {
          // An aborted fetch is the check's timeout; the runner reports it, this URL just did not answer.
          const reason =
            error instanceof Error
              ? error.cause instanceof Error
                ? error.cause.message
                : error.message
              : String(error);
          return {
            name: url,
            status: null,
            latency: null,
            unreachable: true,
            reachable: false,
            ready: false,
            slow: false,
            error: reason,
          };
        }
      }),
    );
    const latencies = items.flatMap((i) => (typeof i.latency === 'number' ? [i.latency] : []));
    const value = latencies.length ? Math.max(...latencies) : null;
    const down = items.filter((i) => i.unreachable || !i.ready);
    const verdict = down.length ? 'critical' : items.some((i) => i.slow) ? 'warning' : 'healthy';
    return {
      items,
      value,
      display: `${items.length - down.length}/${items.length} ready${value === null ? '' : `, max ${value} ms`}`,
      detail: items
        .map(
          (i) =>
            `${i.name} → ${i.unreachable ? `unreachable (${String(i.error)})` : `${i.status} in ${i.latency} ms`}`,
        )
        .join('\n'),
      verdict,
    };
  },
};
