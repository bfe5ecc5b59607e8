import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subsetValidator } from './apiSubset.ts';

export const SP_API_KEY = 'statuspage-test-key';
export const SP_PAGE = 'pg0test0page';

interface PageIncident {
  id: string;
  name: string;
  status: string;
  shortlink: string;
  incident_updates: { body: string; status: string }[];
  components: Record<string, string>;
}

/**
 * A fake Statuspage REST API v1 on 127.0.0.1: checks each request against test/fixtures/statuspage (auth,
 * content type, body), keeps the page's incidents and components, and answers as Statuspage does,
 * including queued 5xx and 429 with Retry-After.
 */
export interface FakeStatuspage {
  url: string;
  requests: {
    method: string;
    path: string;
    headers: IncomingMessage['headers'];
    body: unknown;
    status: number;
  }[];
  incidents: Map<string, PageIncident>;
  components: { id: string; name: string }[];
  problems: string[];
  failNext(method: string, status: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

export async function startFakeStatuspage(): Promise<FakeStatuspage> {
  const validate = subsetValidator('test/fixtures/statuspage/api-subset.json');
  const faults: { method: string; status: number; retryAfter?: number }[] = [];
  const state = {
    requests: [] as FakeStatuspage['requests'],
    incidents: new Map<string, PageIncident>(),
    components: [
      { id: 'cmp-pg', name: 'Postgres' },
      { id: 'cmp-web', name: 'Website' },
    ],
    problems: [] as string[],
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const method = req.method ?? '';
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        state.requests.push({ method, path, headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      const problems = validate({ method, path, headers: req.headers, body });
      state.problems.push(...problems);
      if (req.headers.authorization !== `OAuth ${SP_API_KEY}`) return answer(401, { error: 'Unauthorized' });
      if (problems.length) return answer(422, { error: problems.join('; ') });
      const fault = faults.findIndex((f) => f.method === method);
      if (fault >= 0) {
        const [f] = faults.splice(fault, 1);
        const retry: Record<string, string> =
          f?.status === 429 ? { 'retry-after': String(f.retryAfter ?? 1) } : {};
        return answer(f?.status ?? 500, { error: 'fault' }, retry);
      }
      const base = `/pages/${SP_PAGE}`;
      if (method === 'GET' && path === base) return answer(200, { id: SP_PAGE, name: 'Acme Status' });
      if (method === 'GET' && path === `${base}/components`) return answer(200, state.components);
      if (method === 'POST' && path === `${base}/incidents`) {
        const input = (body as { incident: Record<string, unknown> }).incident;
        const id = `inc${state.incidents.size + 1}`;
        const incident: PageIncident = {
          id,
          name: String(input.name),
          status: String(input.status ?? 'investigating'),
          shortlink: `https://stspg.io/${id}`,
          incident_updates: [{ body: String(input.body ?? ''), status: String(input.status) }],
          components: { ...((input.components as Record<string, string>) ?? {}) },
        };
        state.incidents.set(id, incident);
        return answer(201, incident);
      }
      const match = new RegExp(`^${base}/incidents/([^/]+)$`).exec(path);
      const incident = match?.[1] ? state.incidents.get(match[1]) : undefined;
      if (!incident) return answer(404, { error: 'Not found' });
      if (method === 'GET') return answer(200, incident);
      if (method === 'PATCH') {
        const input = (body as { incident: Record<string, unknown> }).incident;
        if (typeof input.status === 'string') incident.status = input.status;
        incident.incident_updates.unshift({ body: String(input.body ?? ''), status: incident.status });
        Object.assign(incident.components, input.components ?? {});
        return answer(200, incident);
      }
      answer(405, { error: 'Method not allowed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...state,
    url: `http://127.0.0.1:${port}`,
    failNext: (method, status, retryAfter) =>
      faults.push({ method, status, ...(retryAfter !== undefined ? { retryAfter } : {}) }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
