import { type Insertable, sql, type Updateable } from 'kysely';
import {
  type Incident,
  type IncidentPatch,
  type IncidentTimes,
  IncidentTimesSchema,
  type NewIncident,
} from '../../domain/incident.ts';
import type { IncidentStatus } from '../../domain/incidentState.ts';
import type { Milestone, MilestoneTimes } from '../../domain/milestones.ts';
import type { IncidentStore } from '../../usecases/ports/store.ts';
import { parseOptionalRow, parseRow, parseRows, toFlag } from '../rows.ts';
import { atomic, changed, countAll, incidentOpen, type SqlContext, serialize } from './dialect.ts';
import { prepare } from './prepared.ts';
import { IncidentRow } from './rows.ts';
import type { Tables } from './schema.ts';

const COLUMN = {
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
} as const satisfies Record<keyof IncidentPatch, keyof Tables['incidents']>;

const CLOSED = ['resolved', 'closed'];

type NewRow = Omit<Insertable<Tables['incidents']>, 'id' | 'status' | 'in_fallback' | 'day_seq'> & {
  day: string;
};

const CREATE = prepare<NewRow>()((db, p) =>
  db
    .insertInto('incidents')
    .values({
      title: p.title,
      description: p.description,
      severity: p.severity,
      private: p.private,
      drill: p.drill,
      runbook_id: p.runbook_id,
      commander_id: p.commander_id,
      declared_by: p.declared_by,
      source: p.source,
      channel_id: p.channel_id,
      channel_name: p.channel_name,
      declared_at: p.declared_at,
      updated_at: p.updated_at,
      day_seq: sql<number>`(select coalesce(max(day_seq), 0) + 1 from incidents
        where substr(declared_at, 1, 10) = ${p.day})`,
    })
    .returningAll(),
);
const BY_ID = prepare<{ id: number }>()((db, p) =>
  db.selectFrom('incidents').selectAll().where('id', '=', p.id),
);
// The click guard's read, on every click in an incident channel.
const BY_CHANNEL = prepare<{ channelId: string }>()((db, p) =>
  db.selectFrom('incidents').selectAll().where('channel_id', '=', p.channelId).where('in_fallback', '=', 0),
);
/** Sources of incidents declared by a person; pages are replayed from the inbox instead. */
const BY_HAND = ['slash', 'modal'];

export class SqlIncidents implements IncidentStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  /**
   * day_seq is the next number of the UTC day; replicas take it one at a time (serialize), and the
   * unique index on (day, day_seq) backs that up.
   */
  async create(input: NewIncident): Promise<Incident> {
    const now = this.#ctx.now().toISOString();
    return atomic(this.#ctx, async (tx) => {
      await serialize(tx, 'incidents.day_seq');
      const row = await CREATE.first(tx, {
        title: input.title,
        description: input.description ?? '',
        severity: input.severity,
        private: toFlag(input.private ?? false),
        drill: toFlag(input.drill ?? false),
        runbook_id: input.runbookId ?? null,
        commander_id: input.commanderId ?? null,
        declared_by: input.declaredBy,
        source: input.source,
        channel_id: input.channelId ?? null,
        channel_name: input.channelName ?? null,
        declared_at: now,
        updated_at: now,
        day: now.slice(0, 10),
      });
      if (row === undefined) throw new Error(`Incident "${input.title}" was not stored: retry the declare`);
      return parseRow(IncidentRow, row);
    });
  }

  async get(id: number): Promise<Incident | null> {
    return parseOptionalRow(IncidentRow, await BY_ID.first(this.#ctx, { id }));
  }

  async getByChannel(channelId: string): Promise<Incident | null> {
    return parseOptionalRow(IncidentRow, await BY_CHANNEL.first(this.#ctx, { channelId }));
  }

  async listDeclaredSince(since: Date): Promise<Incident[]> {
    const rows = await this.#ctx.db
      .selectFrom('incidents')
      .selectAll()
      .where('declared_at', '>=', since.toISOString())
      .where('drill', '=', 0)
      .orderBy('declared_at')
      .orderBy('id')
      .execute();
    return parseRows(IncidentRow, rows);
  }

  async timesSince(since: Date, afterId: number, limit: number): Promise<IncidentTimes[]> {
    const rows = await this.#ctx.db
      .selectFrom('incidents')
      .select([
        'id',
        'severity',
        'declared_at',
        'impact_started_at',
        'detected_at',
        'acknowledged_at',
        'mitigated_at',
        'resolved_at',
      ])
      .where('declared_at', '>=', since.toISOString())
      .where('drill', '=', 0)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return parseRows(IncidentTimesSchema, rows);
  }

  async listOpen(limit?: number): Promise<Incident[]> {
    let query = this.#ctx.db
      .selectFrom('incidents')
      .selectAll()
      .where(incidentOpen('status'))
      .orderBy('declared_at')
      .orderBy('id');
    if (limit !== undefined) query = query.limit(limit);
    return parseRows(IncidentRow, await query.execute());
  }

  async listUnopened(afterId: number, limit: number): Promise<Incident[]> {
    const rows = await this.#ctx.db
      .selectFrom('incidents')
      .selectAll()
      .where('id', '>', afterId)
      .where('channel_id', 'is', null)
      .where('source', 'in', BY_HAND)
      .where('status', 'not in', CLOSED)
      .orderBy('id')
      .limit(limit)
      .execute();
    return parseRows(IncidentRow, rows);
  }

  async countOpen(): Promise<number> {
    const row = await this.#ctx.db
      .selectFrom('incidents')
      .select(countAll().as('n'))
      .where(incidentOpen('status'))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async update(id: number, patch: IncidentPatch): Promise<Incident | null> {
    const set: Record<string, string | number | null> = { updated_at: this.#ctx.now().toISOString() };
    for (const [field, column] of Object.entries(COLUMN)) {
      const value = patch[field as keyof IncidentPatch];
      if (value !== undefined) set[column] = typeof value === 'boolean' ? toFlag(value) : value;
    }
    const row = await this.#ctx.db
      .updateTable('incidents')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return parseOptionalRow(IncidentRow, row);
  }

  async setStatus(id: number, status: IncidentStatus, from?: IncidentStatus): Promise<Incident | null> {
    const now = this.#ctx.now().toISOString();
    const leaving = CLOSED.includes(status);
    let query = this.#ctx.db
      .updateTable('incidents')
      .set({
        status,
        updated_at: now,
        resolved_at: leaving ? sql<string>`coalesce(resolved_at, ${now})` : null,
        closed_at: status === 'closed' ? sql<string>`coalesce(closed_at, ${now})` : null,
      })
      .where('id', '=', id);
    if (from !== undefined) query = query.where('status', '=', from);
    return parseOptionalRow(IncidentRow, await query.returningAll().executeTakeFirst());
  }

  async acknowledge(id: number): Promise<boolean> {
    const now = this.#ctx.now().toISOString();
    const result = await this.#ctx.db
      .updateTable('incidents')
      .set({ acknowledged_at: now, updated_at: now })
      .where('id', '=', id)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    return changed(result) === 1;
  }

  /** Sets the given structured times (null clears one); the others keep their value. Null if no incident. */
  async setTimes(id: number, times: MilestoneTimes): Promise<Incident | null> {
    const set: Updateable<Tables['incidents']> = { updated_at: this.#ctx.now().toISOString() };
    for (const [field, column] of TIME_COLUMNS) if (field in times) set[column] = times[field] ?? null;
    await this.#ctx.db.updateTable('incidents').set(set).where('id', '=', id).execute();
    return this.get(id);
  }
}

/** The structured times and their columns (acknowledged and resolved exist since the first schema). */
const TIME_COLUMNS = [
  ['impactStartedAt', 'impact_started_at'],
  ['detectedAt', 'detected_at'],
  ['acknowledgedAt', 'acknowledged_at'],
  ['mitigatedAt', 'mitigated_at'],
  ['resolvedAt', 'resolved_at'],
] as const satisfies readonly (readonly [Milestone, keyof Tables['incidents']])[];
