import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationError } from '../../src/integrations/errors.ts';
import { StatuspageApi, type StatuspageStatus } from '../../src/integrations/statuspage.ts';
import {
  type FakeStatuspage,
  SP_API_KEY,
  SP_PAGE,
  SP_PREFIX,
  startFakeStatuspage,
} from '../support/fakeStatuspage.ts';

const SUBSET = 'test/fixtures/statuspage/api-subset.json';

let sp: FakeStatuspage;
let api: StatuspageApi;

beforeEach(async () => {
  sp = await startFakeStatuspage();
  api = new StatuspageApi({ apiKey: SP_API_KEY, pageId: SP_PAGE, apiUrl: sp.url }, globalThis.fetch, 0);
});
afterEach(() => sp.close());

const change = {
  status: 'investigating' as const,
  body: 'Checkout fails for 30% of users',
  components: { 'cmp-pg': 'partial_outage' as const },
};

/** A request the bot would never send, straight to the fake. */
async function send(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${sp.url}${path}`, {
    method,
    headers: { authorization: `OAuth ${SP_API_KEY}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("Statuspage's published API description", () => {
  it("is Atlassian's, cut to exactly the operations the client calls", () => {
    const subset = JSON.parse(readFileSync(SUBSET, 'utf8')) as {
      source: string;
      operations: Record<string, { operationId: string }>;
    };
    expect(subset.source).toMatch(
      /^https:\/\/github\.com\/sbecker59\/statuspage-api-client-go\/blob\/[0-9a-f]{40}\/swagger\.json /,
    );
    expect(
      Object.fromEntries(Object.entries(subset.operations).map(([k, op]) => [k, op.operationId])),
    ).toEqual({
      'GET /v1/pages/{page_id}': 'getPagesPageId',
      'GET /v1/pages/{page_id}/components': 'getPagesPageIdComponents',
      'GET /v1/pages/{page_id}/incidents/unresolved': 'getPagesPageIdIncidentsUnresolved',
      'GET /v1/pages/{page_id}/incidents/{incident_id}': 'getPagesPageIdIncidentsIncidentId',
      'POST /v1/pages/{page_id}/incidents': 'postPagesPageIdIncidents',
      'PATCH /v1/pages/{page_id}/incidents/{incident_id}': 'patchPagesPageIdIncidentsIncidentId',
    });
  });

  it('accepts every request the client makes, one per operation of the subset', async () => {
    await api.page();
    await api.components();
    const created = await api.create({ name: 'Database connection pool exhausted', ...change }, 7);
    await api.findMarked(7);
    await api.incident(created.id);
    await api.update(created.id, { ...change, status: 'resolved', components: { 'cmp-pg': 'operational' } });

    const base = `${SP_PREFIX}/pages/${SP_PAGE}`;
    expect(sp.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', base, 200],
      ['GET', `${base}/components`, 200],
      ['POST', `${base}/incidents`, 201],
      ['GET', `${base}/incidents/unresolved`, 200],
      ['GET', `${base}/incidents/inc1`, 200],
      ['PATCH', `${base}/incidents/inc1`, 200],
    ]);
    expect(sp.problems).toEqual([]);
  });

  it('refuses a body the description does not allow with a 422 naming the field, and the client fails for good', async () => {
    const created = await api.create({ name: 'Database connection pool exhausted', ...change }, 7);
    const failure = await api
      .update(created.id, { ...change, status: 'fixed' as StatuspageStatus })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(IntegrationError);
    expect(failure).toMatchObject({
      retryable: false,
      message:
        'Statuspage answered 422 to update an incident: {"error":"PATCH /v1/pages/{page_id}/incidents/{incident_id}: body data/incident/status must be equal to one of the allowed values"}',
    });
    expect(sp.problems).toEqual([
      'PATCH /v1/pages/{page_id}/incidents/{incident_id}: body data/incident/status must be equal to one of the allowed values',
    ]);
    // The refused update never reached the page.
    expect(sp.incidents.get(created.id)?.status).toBe('investigating');
  });

  it("refuses a component status outside the description's enum, for any component id", async () => {
    const created = await api.create({ name: 'Database connection pool exhausted', ...change }, 7);
    const down = { 'cmp-pg': 'down' } as unknown as typeof change.components;
    const failure = await api.update(created.id, { ...change, components: down }).catch((e: unknown) => e);

    const problem = `PATCH ${SP_PREFIX}/pages/${SP_PAGE}/incidents/inc1: component cmp-pg status "down" is not one of "operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage", ""`;
    expect(failure).toMatchObject({
      retryable: false,
      message: `Statuspage answered 422 to update an incident: ${JSON.stringify({ error: problem })}`,
    });
    expect(sp.problems).toEqual([problem]);
    expect(sp.incidents.get(created.id)?.components).toEqual({ 'cmp-pg': 'partial_outage' });
  });

  it('refuses a create without the name the description requires', async () => {
    const answer = await send('POST', `/pages/${SP_PAGE}/incidents`, {
      incident: { status: 'investigating' },
    });

    expect(answer).toEqual({
      status: 422,
      body: {
        error: "POST /v1/pages/{page_id}/incidents: body data/incident must have required property 'name'",
      },
    });
    expect(sp.incidents.size).toBe(0);
  });

  it('flags a body sent as another media type, a missing key, and a path or method the description lacks', async () => {
    const incident = { incident: { name: 'Outage', status: 'investigating' } };
    await send('POST', `/pages/${SP_PAGE}/incidents`, incident, { 'content-type': 'text/plain' });
    await fetch(`${sp.url}/pages/${SP_PAGE}/components`);
    await send('PUT', `/pages/${SP_PAGE}/incidents/inc1`, incident);
    // The client's root without /v1, as a STATUSPAGE_API_URL missing its version would send it.
    await fetch(`${sp.url.slice(0, -SP_PREFIX.length)}/pages/${SP_PAGE}`, {
      headers: { authorization: `OAuth ${SP_API_KEY}` },
    });

    expect(sp.problems).toEqual([
      'POST /v1/pages/{page_id}/incidents: header Content-Type is text/plain, expected application/json',
      'GET /v1/pages/{page_id}/components: header Authorization missing',
      `no operation PUT /v1/pages/${SP_PAGE}/incidents/inc1 in ${SUBSET}`,
      `no operation GET /pages/${SP_PAGE} in ${SUBSET}`,
    ]);
    expect(sp.requests.map((r) => r.status)).toEqual([422, 401, 422, 422]);
    expect(sp.incidents.size).toBe(0);
  });
});
