import { z } from 'zod';
import { httpFailure, IntegrationError, networkFailure } from './errors.ts';

export interface PagerDutySettings {
  token: string;
  /** PagerDuty records each change as made by the user with this email. */
  from: string;
  apiUrl: string;
}

export type PagerDutyStatus = 'acknowledged' | 'resolved';

const IncidentSchema = z.looseObject({
  incident: z.looseObject({ id: z.string(), status: z.enum(['triggered', 'acknowledged', 'resolved']) }),
});
const UserSchema = z.looseObject({ user: z.looseObject({ email: z.string(), name: z.string() }) });

/** A status only moves forward: acknowledging a resolved incident would be refused, and is not needed. */
const RANK = { triggered: 0, acknowledged: 1, resolved: 2 } as const;

/**
 * The PagerDuty REST API v2 through PagerDuty's own client (@pagerduty/pdjs). Every call is safe to
 * repeat: a status change first reads the incident and does nothing when it is already there, so a retry
 * after a lost answer never changes it twice.
 */
export class PagerDutyApi {
  constructor(
    private readonly settings: PagerDutySettings,
    private readonly fetchTimeoutMs = 10_000,
  ) {}

  async setStatus(incidentId: string, status: PagerDutyStatus): Promise<'changed' | 'already'> {
    const path = `/incidents/${encodeURIComponent(incidentId)}`;
    const current = IncidentSchema.parse(await this.#call('GET', path, `read incident ${incidentId}`));
    if (RANK[current.incident.status] >= RANK[status]) return 'already';
    await this.#call('PUT', path, `${status} incident ${incidentId}`, {
      incident: { type: 'incident_reference', status },
    });
    return 'changed';
  }

  /** Adds the note unless the incident has it already (a retry after a lost answer). */
  async addNote(incidentId: string, content: string): Promise<'added' | 'already'> {
    const path = `/incidents/${encodeURIComponent(incidentId)}/notes`;
    const notes = z
      .looseObject({ notes: z.array(z.looseObject({ content: z.string() })) })
      .parse(await this.#call('GET', path, 'read the notes'));
    if (notes.notes.some((n) => n.content === content)) return 'already';
    await this.#call('POST', path, 'add a note', { note: { content } });
    return 'added';
  }

  /** The token's user (a user token) or, for an account key, a cheap read that proves the key works. */
  async whoAmI(): Promise<string> {
    const body = await this.#call(
      'GET',
      `/users?query=${encodeURIComponent(this.settings.from)}`,
      'find the From user',
    );
    const users = z.looseObject({ users: z.array(UserSchema.shape.user) }).parse(body).users;
    const match = users.find((u) => u.email.toLowerCase() === this.settings.from.toLowerCase());
    if (!match)
      throw new IntegrationError(
        `no PagerDuty user has the email ${this.settings.from}: set PAGERDUTY_FROM_EMAIL to a user of the account`,
        false,
      );
    return match.name;
  }

  async #call(method: string, path: string, what: string, data?: object): Promise<unknown> {
    let response: { status: number; headers: Headers; data: unknown };
    try {
      // Loaded on the first call: a bot without PagerDuty's REST API configured never holds pdjs (~8 MiB).
      const { api } = await import('@pagerduty/pdjs');
      response = await api({
        url: `${this.settings.apiUrl}${path}`,
        method,
        token: this.settings.token,
        headers: { From: this.settings.from },
        requestTimeout: this.fetchTimeoutMs,
        // pdjs waits this long before its own retry of a 429; the job runner retries after that.
        retryTimeout: 1_000,
        ...(data ? { data } : {}),
      });
    } catch (error) {
      // pdjs rejects with the response when its body is not JSON (a proxy's 502 page), else a fetch error.
      if (error instanceof Response) throw httpFailure('PagerDuty', what, error.status, error.headers, '');
      throw networkFailure('PagerDuty', what, error);
    }
    if (response.status >= 200 && response.status < 300) return response.data;
    throw httpFailure(
      'PagerDuty',
      what,
      response.status,
      response.headers,
      JSON.stringify(response.data ?? ''),
    );
  }
}
