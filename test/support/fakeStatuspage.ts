import { readFileSync } from 'node:fs';
import { startVendorFake, type VendorFake } from './fakeVendor.ts';

const SUBSET = 'test/fixtures/statuspage/api-subset.json';

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

/** The server URL's path in Statuspage's description (`https://api.statuspage.io/v1`). */
export const SP_PREFIX = '/v1';

/**
 * A fake Statuspage REST API v1 on 127.0.0.1: checks each request against the subset of Statuspage's
 * published description in test/fixtures/statuspage (operation, auth header, content type, body), keeps the
 * page's incidents and components, and answers as Statuspage does, including queued 5xx and 429 with
 * Retry-After. A request the description does not allow gets a 422 naming the problems.
 */
export interface FakeStatuspage extends VendorFake {
  /** The API's root as STATUSPAGE_API_URL takes it, the fake's address plus `/v1` as in production. */
  url: string;
  incidents: Map<string, PageIncident>;
  components: { id: string; name: string }[];
  /** The next create is made, but its answer is lost (a 504 from a proxy in front of Statuspage). */
  loseNextCreate(): void;
}

/**
 * The component statuses Statuspage's description allows. It spells the `components` map as an object with
 * one example component id, so its schema cannot check other ids: the fake applies that enum to every id.
 */
function componentStatuses(): string[] {
  const subset = JSON.parse(readFileSync(SUBSET, 'utf8'));
  const map = subset.operations[`POST ${SP_PREFIX}/pages/{page_id}/incidents`].requestBody.properties.incident
    .properties.components.properties as Record<string, { enum: string[] }>;
  return Object.values(map)[0]?.enum ?? [];
}

function componentProblems(key: string, body: unknown, allowed: string[]): string[] {
  const components = (body as { incident?: { components?: unknown } }).incident?.components ?? {};
  return Object.entries(components as Record<string, unknown>)
    .filter(([, status]) => typeof status !== 'string' || !allowed.includes(status))
    .map(
      ([id, status]) =>
        `${key}: component ${id} status ${JSON.stringify(status)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
    );
}

export async function startFakeStatuspage(): Promise<FakeStatuspage> {
  const allowed = componentStatuses();
  const incidents = new Map<string, PageIncident>();
  let loseCreate = false;
  const components = [
    { id: 'cmp-pg', name: 'Postgres' },
    { id: 'cmp-web', name: 'Website' },
  ];
  const base = `${SP_PREFIX}/pages/${SP_PAGE}`;
  const fake = await startVendorFake({
    subset: SUBSET,
    authorized: (headers) => headers.authorization === `OAuth ${SP_API_KEY}`,
    unauthorized: { error: 'Unauthorized' },
    invalid: (problems) => ({ status: 422, body: { error: problems.join('; ') } }),
    fault: () => ({ error: 'fault' }),
    route: ({ method, path, body }, answer) => {
      const refused = ['POST', 'PATCH'].includes(method)
        ? componentProblems(`${method} ${path}`, body, allowed)
        : [];
      if (refused.length) {
        fake.problems.push(...refused);
        return answer(422, { error: refused.join('; ') });
      }
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
    url: `${fake.url}${SP_PREFIX}`,
    incidents,
    components,
    loseNextCreate: () => {
      loseCreate = true;
    },
  };
}
