import { sql } from 'kysely';
import type { AlertLink, AlertSource, NewAlertLink } from '../../domain/incident.ts';
import type { AlertLinkStore } from '../../usecases/ports/store.ts';
import { parseOptionalRow, parseRow, parseRows } from '../rows.ts';
import { changed, type SqlContext } from './dialect.ts';
import { prepare } from './prepared.ts';
import { AlertLinkRow } from './rows.ts';

const LINK = prepare<{ source: string; dedupKey: string; incidentId: number; at: string }>()((db, p) =>
  db
    .insertInto('alert_links')
    .values({ source: p.source, dedup_key: p.dedupKey, incident_id: p.incidentId, opened_at: p.at })
    .onConflict((conflict) => conflict.doNothing())
    .returningAll(),
);

export class SqlAlertLinks implements AlertLinkStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async latest(source: AlertSource, dedupKey: string): Promise<AlertLink | null> {
    const row = await this.#ctx.db
      .selectFrom('alert_links')
      .selectAll()
      .where('source', '=', source)
      .where('dedup_key', '=', dedupKey)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return parseOptionalRow(AlertLinkRow, row);
  }

  async findOpen(source: AlertSource, dedupKey: string): Promise<AlertLink | null> {
    const row = await this.#ctx.db
      .selectFrom('alert_links')
      .selectAll()
      .where('source', '=', source)
      .where('dedup_key', '=', dedupKey)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return parseOptionalRow(AlertLinkRow, row);
  }

  /**
   * The partial unique index alert_links_open decides which incident an alert group belongs to: of two
   * replicas linking the same key at once, one inserts and the other gets that link back.
   */
  async link(input: NewAlertLink): Promise<{ link: AlertLink; created: boolean }> {
    const row = await LINK.first(this.#ctx, {
      source: input.source,
      dedupKey: input.dedupKey,
      incidentId: input.incidentId,
      at: this.#ctx.now().toISOString(),
    });
    if (row !== undefined) return { link: parseRow(AlertLinkRow, row), created: true };
    const existing = await this.findOpen(input.source, input.dedupKey);
    if (!existing) {
      throw new Error(
        `Could not link ${input.source} key "${input.dedupKey}" to incident ${input.incidentId}: ` +
          'check that the incident exists',
      );
    }
    return { link: existing, created: false };
  }

  async closeForIncident(incidentId: number): Promise<number> {
    const result = await this.#ctx.db
      .updateTable('alert_links')
      .set({ closed_at: this.#ctx.now().toISOString() })
      .where('incident_id', '=', incidentId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return changed(result);
  }

  async listForIncident(incidentId: number): Promise<AlertLink[]> {
    const rows = await this.#ctx.db
      .selectFrom('alert_links')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute();
    return parseRows(AlertLinkRow, rows);
  }

  async countIncidentsSince(since: Date, except: number | null = null): Promise<number> {
    const row = await this.#ctx.db
      .selectFrom('alert_links')
      // The unary + keeps SQLite on alert_links_opened (recent rows) instead of walking the whole
      // incident_id index to avoid a sort.
      .select(sql<number>`cast(count(distinct +incident_id) as integer)`.as('n'))
      .where('opened_at', '>=', since.toISOString())
      .where('incident_id', '<>', except ?? -1)
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
