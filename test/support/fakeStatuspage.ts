import { startVendorFake, type VendorFake } from './fakeVendor.ts';

export const SP_API_KEY = 'statuspage-test-key';
export const SP_PAGE = 'pg0test0page';

interface PageIncident {
  id: string;
  name: string;
  status: string;
  shortlink: string;
  incident_updates: { body: string; status: string }[];
  components: Record<string, string>;
  metadata: Record<string, unknown>;
}

/**
 * A fake Statuspage REST API v1 on 127.0.0.1: checks each request against test/fixtures/statuspage (auth,
 * content type, body), keeps the page's incidents and components, and answers as Statuspage does,
 * including queued 5xx and 429 with Retry-After.
 */
export interface FakeStatuspage extends VendorFake {
  incidents: Map<string, PageIncident>;
  components: { id: string; name: string }[];
  /** The next create is made, but its answer is lost (a 504 from a proxy in front of Statuspage). */
  loseNextCreate(): void;
}

export async function startFakeStatuspage(): Promise<FakeStatuspage> {
  const incidents = new Map<string, PageIncident>();
  let loseCreate = false;
  const components = [
    { id: 'cmp-pg', name: 'Postgres' },
    { id: 'cmp-web', name: 'Website' },
  ];
  const base = `/pages/${SP_PAGE}`;
  const fake = await startVendorFake({
    subset: 'test/fixtures/statuspage/api-subset.json',
    authorized: (headers) => headers.authorization === `OAuth ${SP_API_KEY}`,
    unauthorized: { error: 'Unauthorized' },
    invalid: (problems) => ({ status: 422, body: { error: problems.join('; ') } }),
    fault: () => ({ error: 'fault' }),
    route: ({ method, path, body }, answer) => {
      if (method === 'GET' && path === base) return answer(200, { id: SP_PAGE, name: 'Acme Status' });
      if (method === 'GET' && path === `${base}/components`) return answer(200, components);
      if (method === 'GET' && path === `${base}/incidents/unresolved`)
        return answer(
          200,
          [...incidents.values()].filter((i) => i.status !== 'resolved'),
        );
      if (method === 'POST' && path === `${base}/incidents`) {
        const input = (body as { incident: Record<string, unknown> }).incident;
        const id = `inc${incidents.size + 1}`;
        const incident: PageIncident = {
          id,
          name: String(input.name),
          status: String(input.status ?? 'investigating'),
          shortlink: `https://stspg.io/${id}`,
          incident_updates: [{ body: String(input.body ?? ''), status: String(input.status) }],
          components: { ...((input.components as Record<string, string>) ?? {}) },
          metadata: (input.metadata as Record<string, unknown> | undefined) ?? {},
        };
        incidents.set(id, incident);
        if (loseCreate) {
          loseCreate = false;
          return answer(504, { error: 'Gateway Timeout' });
        }
        return answer(201, incident);
      }
      const match = new RegExp(`^${base}/incidents/([^/]+)$`).exec(path);
      const incident = match?.[1] ? incidents.get(match[1]) : undefined;
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
    },
  });
  return {
    ...fake,
    incidents,
    components,
    loseNextCreate: () => {
      loseCreate = true;
    },
  };
}
