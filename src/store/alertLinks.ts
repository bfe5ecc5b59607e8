import type Database from 'better-sqlite3';
import { z } from 'zod';
import { type AlertLink, AlertLinkSchema, type AlertSource, type NewAlertLink } from '../domain/incident.ts';
import { type Clock, parseOptionalRow, parseRow, parseRows } from './rows.ts';

export {
  type AlertLink,
  AlertLinkSchema,
  type AlertSource,
  AlertSourceSchema,
  type NewAlertLink,
} from '../domain/incident.ts';

const CountRow = z.object({ n: z.number().int() });

/** Which open incident an alert group belongs to, so repeated pages join it instead of opening another. */
export class AlertLinkRepository {
  readonly #now: Clock;
  readonly #findOpen: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #closeForIncident: Database.Statement;
  readonly #listForIncident: Database.Statement;
  readonly #countIncidentsSince: Database.Statement;
  readonly #latest: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#now = now;
    this.#findOpen = db.prepare(
      'SELECT * FROM alert_links WHERE source = ? AND dedup_key = ? AND closed_at IS NULL',
    );
    // The partial unique index allows one open link per key: a racing second link is dropped.
    this.#insert = db.prepare(
      `INSERT INTO alert_links (source, dedup_key, incident_id, opened_at)
       VALUES (@source, @dedupKey, @incidentId, @now)
       ON CONFLICT DO NOTHING
       RETURNING *`,
    );
    this.#closeForIncident = db.prepare(
      'UPDATE alert_links SET closed_at = ? WHERE incident_id = ? AND closed_at IS NULL',
    );
    this.#listForIncident = db.prepare('SELECT * FROM alert_links WHERE incident_id = ? ORDER BY id');
    this.#latest = db.prepare(
      'SELECT * FROM alert_links WHERE source = ? AND dedup_key = ? ORDER BY id DESC LIMIT 1',
    );
    this.#countIncidentsSince = db.prepare(
      // The unary + keeps the planner on alert_links_opened (recent rows) instead of walking the whole
      // incident_id index to avoid a sort.
      `SELECT COUNT(DISTINCT +incident_id) AS n FROM alert_links
       WHERE opened_at >= @since AND incident_id <> ifnull(@except, -1)`,
    );
  }

  /** The key's most recent link, open or closed: the incident its alerts last belonged to. */
  latest(source: AlertSource, dedupKey: string): AlertLink | null {
    return parseOptionalRow(AlertLinkSchema, this.#latest.get(source, dedupKey));
  }

  findOpen(source: AlertSource, dedupKey: string): AlertLink | null {
    return parseOptionalRow(AlertLinkSchema, this.#findOpen.get(source, dedupKey));
  }

  /**
   * Links the key to the incident unless the key already has an open link; then that link wins and
   * is returned with `created: false`, so the caller joins the existing incident.
   */
  link(input: NewAlertLink): { link: AlertLink; created: boolean } {
    const row = this.#insert.get({ ...input, now: this.#now().toISOString() });
    if (row !== undefined) return { link: parseRow(AlertLinkSchema, row), created: true };
    const existing = this.findOpen(input.source, input.dedupKey);
    if (!existing) {
      throw new Error(
        `Could not link ${input.source} key "${input.dedupKey}" to incident ${input.incidentId}: ` +
          'check that the incident exists',
      );
    }
    return { link: existing, created: false };
  }

  /** Closes the incident's links so the next alert with the same key opens a new incident. */
  closeForIncident(incidentId: number): number {
    return this.#closeForIncident.run(this.#now().toISOString(), incidentId).changes;
  }

  listForIncident(incidentId: number): AlertLink[] {
    return parseRows(AlertLinkSchema, this.#listForIncident.all(incidentId));
  }

  /** How many incidents alerts opened since `since` (storm control), not counting `except` (the storm incident). */
  countIncidentsSince(since: Date, except: number | null = null): number {
    const row = this.#countIncidentsSince.get({ since: since.toISOString(), except });
    return parseRow(CountRow, row).n;
  }
}
