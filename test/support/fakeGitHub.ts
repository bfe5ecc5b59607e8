import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subsetValidator } from './apiSubset.ts';

export const GH_TOKEN = 'ghp_testtoken0123456789';
export const GH_REPO = 'acme/platform';

interface Issue {
  number: number;
  title: string;
  body: string;
  labels: { name: string }[];
  state: 'open' | 'closed';
  html_url: string;
  created_at: string;
}

/**
 * A fake GitHub REST API on 127.0.0.1 for follow-up issues: checks requests against test/fixtures/github
 * (token, Accept, content type, body), keeps the repository's issues, and answers as GitHub does,
 * including queued 5xx and 429 with Retry-After.
 */
export interface FakeGitHub {
  url: string;
  requests: {
    method: string;
    path: string;
    headers: IncomingMessage['headers'];
    body: unknown;
    status: number;
  }[];
  issues: Issue[];
  problems: string[];
  failNext(method: string, status: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const validate = subsetValidator('test/fixtures/github/api-subset.json');
  const faults: { method: string; status: number; retryAfter?: number }[] = [];
  const state = { requests: [] as FakeGitHub['requests'], issues: [] as Issue[], problems: [] as string[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      const method = req.method ?? '';
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        state.requests.push({ method, path, headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(json));
      };
      const problems = validate({ method, path, headers: req.headers, body });
      state.problems.push(...problems);
      if (req.headers.authorization !== `token ${GH_TOKEN}`)
        return answer(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      if (problems.length) return answer(422, { message: 'Validation Failed', errors: problems });
      const fault = faults.findIndex((f) => f.method === method);
      if (fault >= 0) {
        const [f] = faults.splice(fault, 1);
        const retry: Record<string, string> =
          f?.status === 429 ? { 'retry-after': String(f.retryAfter ?? 1) } : {};
        return answer(f?.status ?? 500, { message: 'Server Error' }, retry);
      }
      const base = `/repos/${GH_REPO}`;
      if (method === 'GET' && path === base)
        return answer(200, { full_name: GH_REPO, permissions: { admin: false, push: true, pull: true } });
      if (method === 'GET' && path === `${base}/issues`) {
        const label = url.searchParams.get('labels');
        return answer(
          200,
          state.issues.filter((i) => !label || i.labels.some((l) => l.name === label)),
        );
      }
      if (method === 'POST' && path === `${base}/issues`) {
        const input = body as { title: string; body?: string; labels?: string[] };
        const number = state.issues.length + 101;
        const issue: Issue = {
          number,
          title: input.title,
          body: input.body ?? '',
          labels: (input.labels ?? []).map((name) => ({ name })),
          state: 'open',
          html_url: `https://github.com/${GH_REPO}/issues/${number}`,
          created_at: new Date().toISOString(),
        };
        state.issues.push(issue);
        return answer(201, issue);
      }
      answer(404, { message: 'Not Found' });
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
