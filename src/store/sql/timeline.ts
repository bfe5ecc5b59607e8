import { type Insertable, sql } from 'kysely';
import type { NewTimelineEntry, TimelineEntry } from '../../domain/timeline.ts';
import type { TimelineStore } from '../../usecases/ports/store.ts';
import { parseOptionalRow, parseRow, parseRows } from '../rows.ts';
import type { SqlContext } from './dialect.ts';
import { prepare } from './prepared.ts';
import { TimelineRow } from './rows.ts';
import type { Tables } from './schema.ts';

type NewRow = Omit<Insertable<Tables['timeline']>, 'id'> & Record<string, unknown>;

// Every change of an incident appends an entry: prepared once.
const APPEND = prepare<NewRow>()((db, p) =>
  db
    .insertInto('timeline')
    .values({
      incident_id: p.incident_id,
      at: p.at,
      actor: p.actor,
      kind: p.kind,
      text: p.text,
      data_json: p.data_json,
      once_key: p.once_key,
    })
    .onConflict((conflict) => conflict.column('once_key').doNothing())
    .returningAll(),
);
const BY_ONCE_KEY = prepare<{ onceKey: string | null }>()((db, p) =>
  db.selectFrom('timeline').selectAll().where('once_key', '=', p.onceKey),
);

export class SqlTimeline implements TimelineStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async append(entry: NewTimelineEntry): Promise<TimelineEntry> {
    const values = {
      incident_id: entry.incidentId,
      at: (entry.at ?? this.#ctx.now()).toISOString(),
      actor: entry.actor,
      kind: entry.kind,
      text: entry.text,
      data_json: entry.data == null ? null : JSON.stringify(entry.data),
      once_key: entry.onceKey ?? null,
    };
    // The unique index on once_key decides, not a read first: two replicas firing the same timer at once
    // both get the one entry.
    const row = await APPEND.first(this.#ctx, values);
    if (row !== undefined) return parseRow(TimelineRow, row);
    const first = await BY_ONCE_KEY.first(this.#ctx, { onceKey: values.once_key });
    if (first === undefined) throw new Error(`Timeline entry ${values.once_key} vanished: retry the change`);
    return parseRow(TimelineRow, first);
  }

  /**
   * Several entries in one statement, in order (their ids rise with it), when the caller needs none of them
   * back: a declare's entries. An entry whose once_key exists already is skipped, as `append` would.
   */
  async appendMany(entries: readonly NewTimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const now = this.#ctx.now();
    await this.#ctx.db
      .insertInto('timeline')
      .values(
        entries.map((entry) => ({
          incident_id: entry.incidentId,
          at: (entry.at ?? now).toISOString(),
          actor: entry.actor,
          kind: entry.kind,
          text: entry.text,
          data_json: entry.data == null ? null : JSON.stringify(entry.data),
          once_key: entry.onceKey ?? null,
        })),
      )
      .onConflict((conflict) => conflict.column('once_key').doNothing())
      .execute();
  }

  async page(
    incidentId: number,
    after: { at: string; id: number } | null,
    limit: number,
  ): Promise<TimelineEntry[]> {
    const rows = await this.#ctx.db
      .selectFrom('timeline')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where(sql<boolean>`(at, id) > (${after?.at ?? ''}, ${after?.id ?? 0})`)
      .orderBy('at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return parseRows(TimelineRow, rows);
  }

  async list(incidentId: number): Promise<TimelineEntry[]> {
    const rows = await this.#ctx.db
      .selectFrom('timeline')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return parseRows(TimelineRow, rows);
  }

  async last(incidentId: number, kind: string): Promise<TimelineEntry | null> {
    const row = await this.#ctx.db
      .selectFrom('timeline')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('kind', '=', kind)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return parseOptionalRow(TimelineRow, row);
  }
}
