import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subsetValidator } from './apiSubset.ts';

/** One request a vendor fake answered, with the status it got. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  status: number;
}

export interface VendorRequest {
  method: string;
  path: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type Answer = (status: number, json: unknown, headers?: Record<string, string>) => void;

/** What every vendor fake offers a test, whatever the vendor. */
export interface VendorFake {
  url: string;
  /** Every request, in order, with the status answered. */
  requests: RecordedRequest[];
  /** Requests the vendor would refuse as malformed, per its published description; a test expects none. */
  problems: string[];
  /** The next request with this method gets this status instead (429 with Retry-After, 5xx). */
  failNext(method: string, status: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

/** How one vendor differs: its API description, auth, error bodies and routes. */
export interface VendorOptions {
  /** The subset of the vendor's API description the requests are checked against. */
  subset: string;
  contentType?: string;
  authorized(headers: IncomingMessage['headers']): boolean;
  unauthorized: unknown;
  invalid(problems: string[]): { status: number; body: unknown };
  /** The body the vendor sends with an injected fault of this status. */
  fault(status: number): unknown;
  route(request: VendorRequest, answer: Answer): void;
}

/**
 * An HTTP fake of a vendor's JSON API on 127.0.0.1: every request is recorded and checked against the
 * vendor's description, then refused as the vendor would (401, malformed, a queued fault) or routed.
 */
export async function startVendorFake(options: VendorOptions): Promise<VendorFake> {
  const validate = subsetValidator(options.subset);
  const faults: { method: string; status: number; retryAfter?: number }[] = [];
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      const url = new URL(req.url ?? '/', 'http://x');
      const request: VendorRequest = {
        method: req.method ?? '',
        path: url.pathname,
        url,
        headers: req.headers,
        body,
      };
      const answer: Answer = (status, json, headers = {}) => {
        requests.push({ method: request.method, path: request.path, headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': options.contentType ?? 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      const found = validate({ method: request.method, path: request.path, headers: req.headers, body });
      problems.push(...found);
      if (!options.authorized(req.headers)) return answer(401, options.unauthorized);
      if (found.length) {
        const refusal = options.invalid(found);
        return answer(refusal.status, refusal.body);
      }
      const fault = faults.findIndex((f) => f.method === request.method);
      if (fault >= 0) {
        const [f] = faults.splice(fault, 1);
        const status = f?.status ?? 500;
        const retry: Record<string, string> =
          status === 429 ? { 'retry-after': String(f?.retryAfter ?? 1) } : {};
        return answer(status, options.fault(status), retry);
      }
      options.route(request, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    failNext: (method, status, retryAfter) =>
      faults.push({ method, status, ...(retryAfter !== undefined ? { retryAfter } : {}) }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
