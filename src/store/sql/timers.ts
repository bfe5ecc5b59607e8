import { type Insertable, sql, type Updateable } from 'kysely';
import type { NewTimer, Timer } from '../../domain/timer.ts';
import type { TimerStore } from '../../usecases/ports/store.ts';
import { parseOptionalRow, parseRow, parseRows } from '../rows.ts';
import { atomic, changed, claimable, type SqlContext } from './dialect.ts';
import { prepare } from './prepared.ts';
import { TimerRow } from './rows.ts';
import type { Tables } from './schema.ts';

const byDue = (a: Timer, b: Timer) => (a.dueAt === b.dueAt ? a.id - b.id : a.dueAt < b.dueAt ? -1 : 1);

// A declare plans its timers and every step change re-plans them: prepared once.
const SCHEDULE = prepare<Omit<Insertable<Tables['timers']>, 'id'> & Record<string, unknown>>()((db, p) =>
  db
    .insertInto('timers')
    .values({
      incident_id: p.incident_id,
      kind: p.kind,
      due_at: p.due_at,
      payload_json: p.payload_json,
      created_at: p.created_at,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returningAll(),
);

export class SqlTimers implements TimerStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  /** The timers_plan unique index decides: re-planning the same timer, even from two replicas, keeps one. */
  async schedule(timer: NewTimer): Promise<{ timer: Timer; created: boolean }> {
    const dueAt = timer.dueAt.toISOString();
    const row = await SCHEDULE.first(this.#ctx, {
      incident_id: timer.incidentId,
      kind: timer.kind,
      due_at: dueAt,
      payload_json: timer.payload == null ? null : JSON.stringify(timer.payload),
      created_at: this.#ctx.now().toISOString(),
    });
    if (row !== undefined) return { timer: parseRow(TimerRow, row), created: true };
    const existing = await this.#ctx.db
      .selectFrom('timers')
      .selectAll()
      .where(sql<boolean>`coalesce(incident_id, 0) = ${timer.incidentId ?? 0}`)
      .where('kind', '=', timer.kind)
      .where('due_at', '=', dueAt)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst();
    if (!existing) {
      throw new Error(`Timer ${timer.kind} for incident ${timer.incidentId} was neither created nor found`);
    }
    return { timer: parseRow(TimerRow, existing), created: false };
  }

  /**
   * Several timers in one statement, when the caller needs none of them back (a new incident's plan); one
   * that exists already (the timers_plan unique index) is skipped, as `schedule` would keep it.
   */
  async scheduleMany(timers: readonly NewTimer[]): Promise<void> {
    if (timers.length === 0) return;
    const createdAt = this.#ctx.now().toISOString();
    await this.#ctx.db
      .insertInto('timers')
      .values(
        timers.map((timer) => ({
          incident_id: timer.incidentId,
          kind: timer.kind,
          due_at: timer.dueAt.toISOString(),
          payload_json: timer.payload == null ? null : JSON.stringify(timer.payload),
          created_at: createdAt,
        })),
      )
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }

  async get(id: number): Promise<Timer | null> {
    const row = await this.#ctx.db.selectFrom('timers').selectAll().where('id', '=', id).executeTakeFirst();
    return parseOptionalRow(TimerRow, row);
  }

  async cancel(incidentId: number, kinds?: readonly string[]): Promise<number> {
    if (kinds !== undefined && kinds.length === 0) return 0;
    let query = this.#ctx.db
      .updateTable('timers')
      .set({ cancelled_at: this.#ctx.now().toISOString() })
      .where('incident_id', '=', incidentId)
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null);
    if (kinds !== undefined) query = query.where('kind', 'in', [...kinds]);
    return changed(await query.executeTakeFirst());
  }

  /**
   * Hands out due timers, marking them fired in the same transaction: a timer is handed out at most once,
   * across replicas too (PostgreSQL skips rows another replica is claiming this instant). A timer
   * another replica holds under a live lease is left to it.
   */
  async claimDue(now: Date = this.#ctx.now(), limit = 100): Promise<Timer[]> {
    const at = now.toISOString();
    return this.#claim(at, limit, { fired_at: at, claimed_at: at, claimed_by: null, lease_until: null });
  }

  /** Leases due timers whose lease is free or expired; `complete` fires them. */
  async claimDueLeased(
    owner: string,
    leaseMs: number,
    now: Date = this.#ctx.now(),
    limit = 100,
    skip: readonly number[] = [],
  ): Promise<Timer[]> {
    const at = now.toISOString();
    const lease = new Date(now.getTime() + leaseMs).toISOString();
    return this.#claim(at, limit, { claimed_at: at, claimed_by: owner, lease_until: lease }, skip);
  }

  /** One statement per renewal tick: a timer fired, freed or taken over is no longer `owner`'s. */
  async renew(owner: string, ids: readonly number[], leaseMs: number): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.#ctx.db
      .updateTable('timers')
      .set({ lease_until: new Date(this.#ctx.now().getTime() + leaseMs).toISOString() })
      .where('id', 'in', [...ids])
      .where('claimed_by', '=', owner)
      .where('fired_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((row) => row.id).sort((a, b) => a - b);
  }

  /**
   * Picks the ids first, then updates exactly those: PostgreSQL may run an `id IN (SELECT ... LIMIT n
   * FOR UPDATE SKIP LOCKED)` subquery more than once in one UPDATE and hand out more than `limit`.
   */
  async #claim(
    at: string,
    limit: number,
    set: Updateable<Tables['timers']>,
    skip: readonly number[] = [],
  ): Promise<Timer[]> {
    return atomic(this.#ctx, async (tx) => {
      const due = this.#due(tx, at, limit);
      const ids = (await (skip.length > 0 ? due.where('id', 'not in', [...skip]) : due).execute()).map(
        (row) => row.id,
      );
      if (ids.length === 0) return [];
      const rows = await tx.db
        .updateTable('timers')
        .set(set)
        .where('id', 'in', ids)
        .where('fired_at', 'is', null)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
        .returningAll()
        .execute();
      return parseRows(TimerRow, rows).sort(byDue);
    });
  }

  /** Only the lease holder fires the timer: a claimant whose lease was taken over changes nothing. */
  async complete(id: number, owner: string): Promise<boolean> {
    const result = await this.#ctx.db
      .updateTable('timers')
      .set({ fired_at: this.#ctx.now().toISOString(), lease_until: null })
      .where('id', '=', id)
      .where('claimed_by', '=', owner)
      .where('fired_at', 'is', null)
      .executeTakeFirst();
    return changed(result) === 1;
  }

  async releaseOthers(owner: string): Promise<number> {
    const result = await this.#ctx.db
      .updateTable('timers')
      .set({ claimed_by: null, lease_until: null })
      .where('fired_at', 'is', null)
      .where('lease_until', 'is not', null)
      .where('claimed_by', '<>', owner)
      .executeTakeFirst();
    return changed(result);
  }

  #due(ctx: SqlContext, at: string, limit: number) {
    return claimable(
      ctx,
      ctx.db
        .selectFrom('timers')
        .select('id')
        .where('fired_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .where('due_at', '<=', at)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
        .orderBy('due_at')
        .orderBy('id')
        .limit(limit),
    );
  }

  async listOpen(incidentId: number): Promise<Timer[]> {
    const rows = await this.#ctx.db
      .selectFrom('timers')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .orderBy('due_at')
      .orderBy('id')
      .execute();
    return parseRows(TimerRow, rows);
  }

  /**
   * A periodic timer under a live lease is being fired now, and its handler asks this to learn whether the
   * next one is planned: it is not, so the leased one is left out.
   */
  scheduleSole(timer: NewTimer & { incidentId: null }): Promise<Timer | null> {
    return atomic(this.#ctx, async (tx) => {
      // Replicas on PostgreSQL serialise on a lock named after the kind; SQLite has one writer already.
      if (tx.kind === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext(${`timers:${timer.kind}`}))`.execute(tx.db);
      const timers = new SqlTimers(tx);
      if ((await timers.listOpenGlobal(timer.kind)).length > 0) return null;
      return (await timers.schedule(timer)).timer;
    });
  }

  async listOpenGlobal(kind: string): Promise<Timer[]> {
    const at = this.#ctx.now().toISOString();
    const rows = await this.#ctx.db
      .selectFrom('timers')
      .selectAll()
      .where('incident_id', 'is', null)
      .where('kind', '=', kind)
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
      .orderBy('due_at')
      .orderBy('id')
      .execute();
    return parseRows(TimerRow, rows);
  }
}
