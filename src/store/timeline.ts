import type Database from 'better-sqlite3';
import {
  JsonObjectSchema,
  type NewTimelineEntry,
  type TimelineEntry,
  TimelineEntrySchema,
} from '../domain/timeline.ts';
import { type Clock, jsonColumn, parseOptionalRow, parseRow, parseRows } from './rows.ts';

export { type NewTimelineEntry, type TimelineEntry, TimelineEntrySchema } from '../domain/timeline.ts';

const TimelineRowSchema = TimelineEntrySchema.extend({ data: jsonColumn(JsonObjectSchema).nullable() });

/** The append-only record of an incident, from which the post-mortem is built. */
export class TimelineRepository {
  readonly #now: Clock;
  readonly #append: Database.Statement;
  readonly #list: Database.Statement;
  readonly #page: Database.Statement;
  readonly #last: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#now = now;
    this.#append = db.prepare(
      `INSERT INTO timeline (incident_id, at, actor, kind, text, data_json)
       VALUES (@incidentId, @at, @actor, @kind, @text, @data)
       RETURNING *`,
    );
    this.#list = db.prepare('SELECT * FROM timeline WHERE incident_id = ? ORDER BY at, id');
    this.#page = db.prepare(
      `SELECT * FROM timeline WHERE incident_id = @incidentId AND (at, id) > (@at, @id)
       ORDER BY at, id LIMIT @limit`,
    );
    this.#last = db.prepare(
      'SELECT * FROM timeline WHERE incident_id = ? AND kind = ? ORDER BY at DESC, id DESC LIMIT 1',
    );
  }

  append(entry: NewTimelineEntry): TimelineEntry {
    const row = this.#append.get({
      incidentId: entry.incidentId,
      at: (entry.at ?? this.#now()).toISOString(),
      actor: entry.actor,
      kind: entry.kind,
      text: entry.text,
      data: entry.data == null ? null : JSON.stringify(entry.data),
    });
    return parseRow(TimelineRowSchema, row);
  }

  /** The next `limit` entries after `after` (null: from the start), in list() order: for reading in slices. */
  page(incidentId: number, after: { at: string; id: number } | null, limit: number): TimelineEntry[] {
    return parseRows(
      TimelineRowSchema,
      this.#page.all({ incidentId, at: after?.at ?? '', id: after?.id ?? 0, limit }),
    );
  }

  /** Oldest first; entries with the same time keep the order they were appended in. */
  list(incidentId: number): TimelineEntry[] {
    return parseRows(TimelineRowSchema, this.#list.all(incidentId));
  }

  /** The newest entry of `kind` (the one list() would put last), read through timeline_kind alone. */
  last(incidentId: number, kind: string): TimelineEntry | null {
    return parseOptionalRow(TimelineRowSchema, this.#last.get(incidentId, kind));
  }
}
