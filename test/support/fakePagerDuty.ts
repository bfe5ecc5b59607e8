import { startVendorFake, type VendorFake } from './fakeVendor.ts';

/**
 * A fake PagerDuty REST API v2 on 127.0.0.1: checks each request against PagerDuty's published description
 * (test/fixtures/pagerduty/rest-subset.json), the token and the From header, keeps incidents' status and
 * notes, and answers as PagerDuty does, including queued 500s and 429s with Retry-After.
 */
export interface FakePagerDuty extends VendorFake {
  token: string;
  incidents: Map<string, { status: 'triggered' | 'acknowledged' | 'resolved'; notes: string[] }>;
}

export const PD_API_TOKEN = 'u+pagerduty-test-token';
export const PD_FROM = 'oncall-bot@example.com';

export async function startFakePagerDuty(): Promise<FakePagerDuty> {
  const incidents: FakePagerDuty['incidents'] = new Map();
  const fake = await startVendorFake({
    subset: 'test/fixtures/pagerduty/rest-subset.json',
    authorized: (headers) => headers.authorization === `Token token=${PD_API_TOKEN}`,
    unauthorized: { error: { message: 'Unauthorized', code: 2006 } },
    invalid: (problems) => ({
      status: 400,
      body: { error: { message: 'Invalid Input Provided', errors: problems } },
    }),
    fault: (status) =>
      status === 429
        ? { error: { message: 'Rate Limit Exceeded', code: 2020 } }
        : { error: { message: 'Internal Server Error' } },
    route: ({ method, path, body }, answer) => route(incidents, method, path, body, answer),
  });
  return { ...fake, token: PD_API_TOKEN, incidents };
}

function route(
  incidents: FakePagerDuty['incidents'],
  method: string,
  path: string,
  body: unknown,
  answer: (status: number, json: unknown) => void,
): unknown {
  const match = /^\/incidents\/([^/]+)(\/notes)?$/.exec(path);
  if (method === 'GET' && path === '/users')
    return answer(200, { users: [{ id: 'PUSER1', name: 'Oncall Bot', email: PD_FROM }], more: false });
  const incident = match?.[1] ? incidents.get(match[1]) : undefined;
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
