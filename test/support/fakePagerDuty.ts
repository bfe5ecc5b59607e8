import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subsetValidator } from './apiSubset.ts';

/**
 * A fake PagerDuty REST API v2 on 127.0.0.1: checks each request against PagerDuty's published description
 * (test/fixtures/pagerduty/rest-subset.json), the token and the From header, keeps incidents' status and
 * notes, and answers as PagerDuty does, including queued 500s and 429s with Retry-After.
 */
export interface FakePagerDuty {
  url: string;
  token: string;
  /** Every request, in order, with the status answered. */
  requests: {
    method: string;
    path: string;
    headers: IncomingMessage['headers'];
    body: unknown;
    status: number;
  }[];
  incidents: Map<string, { status: 'triggered' | 'acknowledged' | 'resolved'; notes: string[] }>;
  /** The next matching request(s) get this answer instead (e.g. `{ status: 500 }`, or 429 with Retry-After). */
  failNext(method: string, status: number, retryAfterSeconds?: number): void;
  /** Requests that PagerDuty would refuse as malformed; a test expects none. */
  problems: string[];
  close(): Promise<void>;
}

export const PD_API_TOKEN = 'u+pagerduty-test-token';
export const PD_FROM = 'oncall-bot@example.com';

export async function startFakePagerDuty(): Promise<FakePagerDuty> {
  const validate = subsetValidator('test/fixtures/pagerduty/rest-subset.json');
  const faults: { method: string; status: number; retryAfter?: number }[] = [];
  const fake: Omit<FakePagerDuty, 'url' | 'close'> = {
    token: PD_API_TOKEN,
    requests: [],
    incidents: new Map(),
    problems: [],
    failNext: (method, status, retryAfter) =>
      faults.push({ method, status, ...(retryAfter !== undefined ? { retryAfter } : {}) }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        fake.requests.push({ method: req.method ?? '', path, headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      const problems = validate({ method: req.method ?? '', path, headers: req.headers, body });
      fake.problems.push(...problems);
      if (req.headers.authorization !== `Token token=${PD_API_TOKEN}`)
        return answer(401, { error: { message: 'Unauthorized', code: 2006 } });
      if (problems.length)
        return answer(400, { error: { message: 'Invalid Input Provided', errors: problems } });
      const fault = faults.findIndex((f) => f.method === req.method);
      if (fault >= 0) {
        const [f] = faults.splice(fault, 1);
        if (f?.status === 429)
          return answer(
            429,
            { error: { message: 'Rate Limit Exceeded', code: 2020 } },
            {
              'retry-after': String(f.retryAfter ?? 1),
            },
          );
        return answer(f?.status ?? 500, { error: { message: 'Internal Server Error' } });
      }
      route(fake, req.method ?? '', path, body, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...fake,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  } as FakePagerDuty;
}

function route(
  fake: Omit<FakePagerDuty, 'url' | 'close'>,
  method: string,
  path: string,
  body: unknown,
  answer: (status: number, json: unknown) => void,
): unknown {
  const match = /^\/incidents\/([^/]+)(\/notes)?$/.exec(path);
  if (method === 'GET' && path === '/users')
    return answer(200, { users: [{ id: 'PUSER1', name: 'Oncall Bot', email: PD_FROM }], more: false });
  const incident = match?.[1] ? fake.incidents.get(match[1]) : undefined;
  if (!match || !incident) return answer(404, { error: { message: 'Not Found', code: 2100 } });
  const id = match[1] as string;
  const view = () => ({ incident: { id, type: 'incident', status: incident.status } });
  if (method === 'GET' && !match[2]) return answer(200, view());
  if (method === 'PUT' && !match[2]) {
    incident.status = (body as { incident: { status: typeof incident.status } }).incident.status;
    return answer(200, view());
  }
  if (method === 'GET' && match[2])
    return answer(200, { notes: incident.notes.map((content, i) => ({ id: `PN${i + 1}`, content })) });
  if (method === 'POST' && match[2]) {
    const content = (body as { note: { content: string } }).note.content;
    incident.notes.push(content);
    return answer(201, { note: { id: `PN${incident.notes.length}`, content } });
  }
  answer(404, { error: { message: 'Not Found', code: 2100 } });
}
