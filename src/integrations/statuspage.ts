import { z } from 'zod';
import { httpFailure, IntegrationError, networkFailure } from './errors.ts';

export interface StatuspageSettings {
  apiKey: string;
  pageId: string;
  apiUrl: string;
}

export const StatuspageStatusSchema = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
export type StatuspageStatus = z.infer<typeof StatuspageStatusSchema>;
export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';

const IncidentSchema = z.looseObject({
  id: z.string(),
  /** incident-bot's own marker (`{ incident_bot: { incident: "12" } }`), found again after a lost answer. */
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  name: z.string(),
  status: z.string(),
  shortlink: z.string().nullable().optional(),
  incident_updates: z.array(z.looseObject({ body: z.string().nullable(), status: z.string() })).default([]),
});
export type StatuspageIncident = z.infer<typeof IncidentSchema>;
const ComponentSchema = z.looseObject({ id: z.string(), name: z.string() });
const PageSchema = z.looseObject({ id: z.string(), name: z.string() });

export interface IncidentChange {
  name: string;
  status: StatuspageStatus;
  body: string;
  components: Record<string, ComponentStatus>;
}

/** The metadata key under which the bot marks the page incidents it creates. */
const MARKER = 'incident_bot';

/** Statuspage allows 1 request a second per token: calls are spaced at least this far apart. */
const MIN_INTERVAL_MS = 1_000;

/** The Statuspage REST API v1 through fetch; answers are checked with zod. */
export class StatuspageApi {
  #next = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: StatuspageSettings,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
    private readonly intervalMs = MIN_INTERVAL_MS,
  ) {}

  page(): Promise<{ id: string; name: string }> {
    return this.#call('GET', '', 'read the page').then((b) => PageSchema.parse(b));
  }

  components(): Promise<{ id: string; name: string }[]> {
    return this.#call('GET', '/components', 'list components').then((b) => z.array(ComponentSchema).parse(b));
  }

  incident(id: string): Promise<StatuspageIncident> {
    return this.#call('GET', `/incidents/${encodeURIComponent(id)}`, 'read an incident').then((b) =>
      IncidentSchema.parse(b),
    );
  }

  /** Creates the page's incident, marked with the bot's incident so a retry can find it (`findMarked`). */
  create(change: IncidentChange, incidentId: number): Promise<StatuspageIncident> {
    const incident = { ...incidentBody(change), metadata: { [MARKER]: { incident: String(incidentId) } } };
    return this.#call('POST', '/incidents', 'create an incident', { incident }).then((b) =>
      IncidentSchema.parse(b),
    );
  }

  /** The unresolved page incident an earlier create for this incident made, if its answer was lost. */
  async findMarked(incidentId: number): Promise<StatuspageIncident | null> {
    const open = z
      .array(IncidentSchema)
      .parse(await this.#call('GET', '/incidents/unresolved', 'list unresolved incidents'));
    const marked = (i: StatuspageIncident) =>
      (i.metadata?.[MARKER] as { incident?: unknown } | undefined)?.incident === String(incidentId);
    return open.find(marked) ?? null;
  }

  update(id: string, change: Omit<IncidentChange, 'name'>): Promise<StatuspageIncident> {
    return this.#call('PATCH', `/incidents/${encodeURIComponent(id)}`, 'update an incident', {
      incident: incidentBody(change),
    }).then((b) => IncidentSchema.parse(b));
  }

  /** One request at a time, spaced by the rate limit, so a burst of updates never meets a 429. */
  #call(method: string, path: string, what: string, body?: object): Promise<unknown> {
    const run = this.#queue.then(async () => {
      const wait = this.#next - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.#next = Date.now() + this.intervalMs;
      return this.#request(method, path, what, body);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #request(method: string, path: string, what: string, body?: object): Promise<unknown> {
    const url = `${this.settings.apiUrl}/pages/${encodeURIComponent(this.settings.pageId)}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: {
          authorization: `OAuth ${this.settings.apiKey}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw networkFailure('Statuspage', what, error);
    }
    const text = await response.text();
    // Statuspage answers 420 as well as 429 when the rate limit is exceeded.
    const status = response.status === 420 ? 429 : response.status;
    if (status < 200 || status >= 300) throw httpFailure('Statuspage', what, status, response.headers, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new IntegrationError(`Statuspage answered ${what} with something that is not JSON`, true);
    }
  }
}

function incidentBody(change: Partial<IncidentChange>) {
  const ids = Object.keys(change.components ?? {});
  return {
    ...(change.name ? { name: change.name } : {}),
    status: change.status,
    body: change.body,
    ...(ids.length ? { component_ids: ids, components: change.components } : {}),
  };
}
