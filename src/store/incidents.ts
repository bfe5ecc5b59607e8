import type Database from 'better-sqlite3';
import {
  INCIDENT_PATCHABLE,
  type Incident,
  type IncidentPatch,
  type IncidentPatchable,
  IncidentSchema,
  type NewIncident,
} from '../domain/incident.ts';
// The state machine owns the statuses; the store only persists them.
import { type IncidentStatus, IncidentStatusSchema } from '../domain/incidentState.ts';
import type { Milestone, MilestoneTimes } from '../domain/milestones.ts';
import { type Clock, Flag, parseOptionalRow, parseRow, parseRows, toFlag } from './rows.ts';

export {
  type Incident,
  type IncidentPatch,
  IncidentSchema,
  type IncidentSource,
  IncidentSourceSchema,
  type NewIncident,
} from '../domain/incident.ts';
export { type IncidentStatus, IncidentStatusSchema };

const PATCHABLE = INCIDENT_PATCHABLE;
type Patchable = IncidentPatchable;

/** SQLite keeps flags as 0/1. */
const IncidentRowSchema = IncidentSchema.extend({ private: Flag, drill: Flag, inFallback: Flag });

const COLUMN: Record<Patchable, string> = {
  title: 'title',
  description: 'description',
  severity: 'severity',
  private: 'private',
  runbookId: 'runbook_id',
  commanderId: 'commander_id',
  channelId: 'channel_id',
  channelName: 'channel_name',
  inFallback: 'in_fallback',
  headerTs: 'header_ts',
};

const OPEN = "status NOT IN ('resolved', 'closed')";

/** The structured times and their columns: a fixed list, so no caller's text reaches the SQL. */
const TIME_COLUMNS: readonly (readonly [Milestone, string])[] = [
  ['impactStartedAt', 'impact_started_at'],
  ['detectedAt', 'detected_at'],
  ['acknowledgedAt', 'acknowledged_at'],
  ['mitigatedAt', 'mitigated_at'],
  ['resolvedAt', 'resolved_at'],
];

export class IncidentRepository {
  readonly #now: Clock;
  readonly #insert: Database.Statement;
  readonly #get: Database.Statement;
  readonly #getByChannel: Database.Statement;
  readonly #listOpen: Database.Statement;
  readonly #countOpen: Database.Statement;
  readonly #since: Database.Statement;
  readonly #update: Database.Statement;
  readonly #setStatus: Database.Statement;
  readonly #acknowledge: Database.Statement;
  readonly #setTimes: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#now = now;
    // One statement, so allocating day_seq and inserting cannot interleave with another writer;
    // the unique index on (day, day_seq) backs it up.
    this.#insert = db.prepare(
      `INSERT INTO incidents (title, description, severity, private, drill, runbook_id, commander_id,
         declared_by, source, channel_id, channel_name, declared_at, updated_at, day_seq)
       VALUES (@title, @description, @severity, @private, @drill, @runbookId, @commanderId,
         @declaredBy, @source, @channelId, @channelName, @now, @now,
         (SELECT ifnull(max(day_seq), 0) + 1 FROM incidents
          WHERE substr(declared_at, 1, 10) = substr(@now, 1, 10)))
       RETURNING *`,
    );
    this.#get = db.prepare('SELECT * FROM incidents WHERE id = ?');
    // Fallback incidents share the announce channel; only a dedicated channel identifies an incident.
    this.#getByChannel = db.prepare('SELECT * FROM incidents WHERE channel_id = ? AND in_fallback = 0');
    this.#since = db.prepare(
      'SELECT * FROM incidents WHERE declared_at >= ? AND drill = 0 ORDER BY declared_at, id',
    );
    // LIMIT -1 is SQLite's "no limit".
    this.#listOpen = db.prepare(`SELECT * FROM incidents WHERE ${OPEN} ORDER BY declared_at, id LIMIT ?`);
    this.#countOpen = db.prepare(`SELECT count(*) FROM incidents WHERE ${OPEN}`).pluck();
    // A fixed statement for any subset of fields: each column keeps its value unless its flag is set.
    this.#update = db.prepare(
      `UPDATE incidents SET
         ${PATCHABLE.map((field) => `${COLUMN[field]} = CASE WHEN @set_${field} THEN @${field} ELSE ${COLUMN[field]} END`).join(',\n         ')},
         updated_at = @now
       WHERE id = @id
       RETURNING *`,
    );
    this.#setStatus = db.prepare(
      `UPDATE incidents SET
         status = @status,
         updated_at = @now,
         resolved_at = CASE WHEN @status IN ('resolved', 'closed') THEN ifnull(resolved_at, @now) END,
         closed_at = CASE WHEN @status = 'closed' THEN ifnull(closed_at, @now) END
       WHERE id = @id AND (@from IS NULL OR status = @from)
       RETURNING *`,
    );
    this.#acknowledge = db.prepare(
      'UPDATE incidents SET acknowledged_at = @now, updated_at = @now WHERE id = @id AND acknowledged_at IS NULL',
    );
    this.#setTimes = db.prepare(
      `UPDATE incidents SET
         ${TIME_COLUMNS.map(([field, column]) => `${column} = CASE WHEN @set_${field} THEN @${field} ELSE ${column} END`).join(',\n         ')},
         updated_at = @now
       WHERE id = @id
       RETURNING *`,
    );
  }

  /** Sets the given structured times (null clears one); the others keep their value. Null if no incident. */
  setTimes(id: number, times: MilestoneTimes): Incident | null {
    const params: Record<string, unknown> = { id, now: this.#now().toISOString() };
    for (const [field] of TIME_COLUMNS) {
      params[`set_${field}`] = field in times ? 1 : 0;
      params[field] = times[field] ?? null;
    }
    return parseOptionalRow(IncidentRowSchema, this.#setTimes.get(params));
  }

  create(input: NewIncident): Incident {
    const row = this.#insert.get({
      title: input.title,
      description: input.description ?? '',
      severity: input.severity,
      private: toFlag(input.private ?? false),
      drill: toFlag(input.drill ?? false),
      runbookId: input.runbookId ?? null,
      commanderId: input.commanderId ?? null,
      declaredBy: input.declaredBy,
      source: input.source,
      channelId: input.channelId ?? null,
      channelName: input.channelName ?? null,
      now: this.#now().toISOString(),
    });
    return parseRow(IncidentRowSchema, row);
  }

  get(id: number): Incident | null {
    return parseOptionalRow(IncidentRowSchema, this.#get.get(id));
  }

  getByChannel(channelId: string): Incident | null {
    return parseOptionalRow(IncidentRowSchema, this.#getByChannel.get(channelId));
  }

  /** Incidents declared at or after `since` (drills excluded), oldest first: MTTA/MTTR windows. */
  listDeclaredSince(since: Date): Incident[] {
    return parseRows(IncidentRowSchema, this.#since.all(since.toISOString()));
  }

  /** Incidents not yet resolved, oldest first; the first `limit` of them when given. */
  listOpen(limit?: number): Incident[] {
    return parseRows(IncidentRowSchema, this.#listOpen.all(limit ?? -1));
  }

  /** How many incidents are not yet resolved, read from the incidents_open index alone. */
  countOpen(): number {
    return this.#countOpen.get() as number;
  }

  /** Sets the given fields (`null` clears one); returns null if there is no such incident. */
  update(id: number, patch: IncidentPatch): Incident | null {
    const params: Record<string, string | number | null> = { id, now: this.#now().toISOString() };
    for (const field of PATCHABLE) {
      const value = patch[field];
      params[`set_${field}`] = value === undefined ? 0 : 1;
      params[field] = typeof value === 'boolean' ? toFlag(value) : (value ?? null);
    }
    return parseOptionalRow(IncidentRowSchema, this.#update.get(params));
  }

  /**
   * Moves to `status`, stamping resolved_at/closed_at on the way out and clearing them on reopen.
   * With `from`, only moves if the incident is still in that status, so two people clicking
   * "Resolve" at once record one transition. Returns null if nothing moved.
   */
  setStatus(id: number, status: IncidentStatus, from?: IncidentStatus): Incident | null {
    const row = this.#setStatus.get({ id, status, from: from ?? null, now: this.#now().toISOString() });
    return parseOptionalRow(IncidentRowSchema, row);
  }

  /** Records the first acknowledgement; returns false if it was already acknowledged (or does not exist). */
  acknowledge(id: number): boolean {
    return this.#acknowledge.run({ id, now: this.#now().toISOString() }).changes === 1;
  }
}
