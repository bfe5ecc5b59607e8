import { z } from 'zod';
import { CheckError, type Item, type Probe } from './types.ts';

const SampleSchema = z.tuple([z.number(), z.string()]);
const QueryResponseSchema = z.object({
  status: z.string(),
  error: z.string().optional(),
  data: z
    .discriminatedUnion('resultType', [
      z.object({
        resultType: z.literal('vector'),
        result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: SampleSchema })),
      }),
      z.object({ resultType: z.literal('scalar'), result: SampleSchema }),
      z.object({ resultType: z.literal('string'), result: SampleSchema }),
      z.object({ resultType: z.literal('matrix'), result: z.array(z.unknown()) }),
    ])
    .optional(),
});

function labelText(metric: Record<string, string>): string {
  const { __name__: name, ...rest } = metric;
  const labels = Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return `${name ?? ''}{${labels}}`;
}

/** `prometheus_query`: an instant query against PROMETHEUS_URL; one item per series with its labels. */
export const prometheusProbe: Probe<'prometheus_query'> = {
  kind: 'prometheus_query',
  async observe(check, context, signal) {
    if (!context.prometheusUrl)
      throw new CheckError('PROMETHEUS_URL is not set: set it to your Prometheus base URL to run this check');
    const url = new URL(
      'api/v1/query',
      context.prometheusUrl.endsWith('/') ? context.prometheusUrl : `${context.prometheusUrl}/`,
    );
    url.searchParams.set('query', check.query);
    let res: Response;
    try {
      res = await fetch(url, { signal, headers: { accept: 'application/json' } });
    } catch (error) {
      if (signal.aborted) throw error;
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new CheckError(`Prometheus at ${url.origin} is unreachable (${cause})`);
    }
    const body: unknown = await res.json().catch(() => null);
    const parsed = QueryResponseSchema.safeParse(body);
    if (!parsed.success)
      throw new CheckError(`Prometheus answered HTTP ${res.status} with a body that is not a query result`);
    if (parsed.data.status !== 'success' || !parsed.data.data)
      throw new CheckError(`Prometheus refused the query: ${parsed.data.error ?? `HTTP ${res.status}`}`);
    const data = parsed.data.data;
    let items: Item[];
    if (data.resultType === 'vector') {
      items = data.result.map((s) => ({ name: labelText(s.metric), value: Number(s.value[1]) }));
    } else if (data.resultType === 'scalar') {
      items = [{ name: 'scalar', value: Number(data.result[1]) }];
    } else {
      throw new CheckError(
        `the query returned a ${data.resultType}; write an instant vector or scalar query`,
      );
    }
    const values = items.flatMap((i) =>
      typeof i.value === 'number' && Number.isFinite(i.value) ? [i.value] : [],
    );
    const value = values.length ? Math.max(...values) : null;
    return {
      items,
      value,
      display:
        value === null
          ? 'no data'
          : items.length > 1
            ? `max ${value} of ${items.length} series`
            : String(value),
      detail: items
        .slice(0, 10)
        .map((i) => `${String(i.name)} ${String(i.value)}`)
        .join('\n'),
    };
  },
};
