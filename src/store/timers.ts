import type Database from 'better-sqlite3';
import { JsonObjectSchema } from '../domain/timeline.ts';
import { type NewTimer, type Timer, TimerSchema } from '../domain/timer.ts';
import { type Clock, jsonColumn, parseOptionalRow, parseRow, parseRows } from './rows.ts';

export { type NewTimer, type Timer, TimerSchema } from '../domain/timer.ts';

export const TimerRowSchema = TimerSchema.extend({ payload: jsonColumn(JsonObjectSchema).nullable() });

/** Durable timers: rows a scheduler tick scans, so a restart neither loses nor repeats one. */
export class TimerRepository {
  readonly #db: Database.Database;
  readonly #now: Clock;
  readonly #insert: Database.Statement;
  readonly #findPlanned: Database.Statement;
  readonly #get: Database.Statement;
  readonly #cancel: Database.Statement;
  readonly #claim: Database.Statement;
  readonly #claimLeased: Database.Statement;
  readonly #complete: Database.Statement;
  readonly #releaseOthers: Database.Statement;
  readonly #listOpen: Database.Statement;
  readonly #listOpenGlobal: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#db = db;
    this.#now = now;
    this.#insert = db.prepare(
      `INSERT INTO timers (incident_id, kind, due_at, payload_json, created_at)
       VALUES (@incidentId, @kind, @dueAt, @payload, @now)
       ON CONFLICT DO NOTHING
       RETURNING *`,
    );
    this.#findPlanned = db.prepare(
      `SELECT * FROM timers
       WHERE ifnull(incident_id, 0) = ifnull(@incidentId, 0) AND kind = @kind AND due_at = @dueAt
         AND cancelled_at IS NULL`,
    );
    this.#get = db.prepare('SELECT * FROM timers WHERE id = ?');
    // Kinds travel as one JSON array so the statement is prepared once for any number of them.
    this.#cancel = db.prepare(
      `UPDATE timers SET cancelled_at = @now
       WHERE incident_id = @incidentId AND fired_at IS NULL AND cancelled_at IS NULL
         AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))`,
    );
    this.#claim = db.prepare(
      `UPDATE timers SET fired_at = @now, claimed_at = @now
       WHERE id IN (
         SELECT id FROM timers
         WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= @now
           AND (lease_until IS NULL OR lease_until <= @now)
         ORDER BY due_at, id
         LIMIT @limit)
       RETURNING *`,
    );
    this.#claimLeased = db.prepare(
      `UPDATE timers SET claimed_at = @now, claimed_by = @owner, lease_until = @lease
       WHERE id IN (
         SELECT id FROM timers
         WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= @now
           AND (lease_until IS NULL OR lease_until <= @now)
         ORDER BY due_at, id
         LIMIT @limit)
       RETURNING *`,
    );
    this.#complete = db.prepare(
      `UPDATE timers SET fired_at = ?, lease_until = NULL WHERE id = ? AND claimed_by = ? AND fired_at IS NULL`,
    );
    this.#releaseOthers = db.prepare(
      `UPDATE timers SET claimed_by = NULL, lease_until = NULL
       WHERE fired_at IS NULL AND lease_until IS NOT NULL AND claimed_by <> ?`,
    );
    this.#listOpen = db.prepare(
      `SELECT * FROM timers WHERE incident_id = ? AND fired_at IS NULL AND cancelled_at IS NULL
       ORDER BY due_at, id`,
    );
    this.#listOpenGlobal = db.prepare(
      `SELECT * FROM timers WHERE incident_id IS NULL AND kind = ? AND fired_at IS NULL AND cancelled_at IS NULL
       ORDER BY due_at, id`,
    );
  }

  /**
   * Plans a timer. Planning the same (incident, kind, dueAt) again returns the existing timer with
   * `created: false` (its payload unchanged), so callers can re-plan freely after any event.
   */
  schedule(timer: NewTimer): { timer: Timer; created: boolean } {
    const key = { incidentId: timer.incidentId, kind: timer.kind, dueAt: timer.dueAt.toISOString() };
    const row = this.#insert.get({
      ...key,
      payload: timer.payload == null ? null : JSON.stringify(timer.payload),
      now: this.#now().toISOString(),
    });
    if (row !== undefined) return { timer: parseRow(TimerRowSchema, row), created: true };
    const existing = parseOptionalRow(TimerRowSchema, this.#findPlanned.get(key));
    if (!existing)
      throw new Error(`Timer ${timer.kind} for incident ${timer.incidentId} was neither created nor found`);
    return { timer: existing, created: false };
  }

  get(id: number): Timer | null {
    return parseOptionalRow(TimerRowSchema, this.#get.get(id));
  }

  /** Cancels the incident's timers that have not fired, all of them or only the given kinds. */
  cancel(incidentId: number, kinds?: readonly string[]): number {
    return this.#cancel.run({
      incidentId,
      kinds: kinds === undefined ? null : JSON.stringify(kinds),
      now: this.#now().toISOString(),
    }).changes;
  }

  /**
   * Hands out timers due at `now`, oldest first, marking them fired in the same IMMEDIATE
   * transaction: the write lock is taken before the rows are read, so another tick or process can
   * never be handed the same timer, and a handed-out timer is never handed out again (at most once;
   * a crash while handling one loses that firing rather than doubling an escalation page).
   */
  claimDue(now: Date = this.#now(), limit = 100): Timer[] {
    const rows = this.#db.transaction(() => this.#claim.all({ now: now.toISOString(), limit })).immediate();
    // RETURNING gives no order guarantee.
    return parseRows(TimerRowSchema, rows).sort(byDue);
  }

  /**
   * Leases due timers to `owner` until now + leaseMs without firing them: a claimant that dies before
   * `complete` loses the lease when it expires and the timer is handed out again.
   */
  claimDueLeased(owner: string, leaseMs: number, now: Date = this.#now(), limit = 100): Timer[] {
    const lease = new Date(now.getTime() + leaseMs).toISOString();
    const params = { now: now.toISOString(), owner, lease, limit };
    const rows = this.#db.transaction(() => this.#claimLeased.all(params)).immediate();
    return parseRows(TimerRowSchema, rows).sort(byDue);
  }

  /** Marks a leased timer fired; false (and no change) when `owner` no longer holds its lease. */
  complete(id: number, owner: string): boolean {
    return this.#complete.run(this.#now().toISOString(), id, owner).changes === 1;
  }

  /** Frees every timer lease not held by `owner` (a sole writer whose predecessor is known dead). */
  releaseOthers(owner: string): number {
    return this.#releaseOthers.run(owner).changes;
  }

  /** Timers of the incident still waiting to fire, soonest first. */
  listOpen(incidentId: number): Timer[] {
    return parseRows(TimerRowSchema, this.#listOpen.all(incidentId));
  }

  /** Timers of `kind` that belong to no incident (e.g. the daily follow-up check) still waiting to fire. */
  listOpenGlobal(kind: string): Timer[] {
    return parseRows(TimerRowSchema, this.#listOpenGlobal.all(kind));
  }
}

/** Soonest first, then in the order planned: RETURNING gives no order guarantee. */
function byDue(a: Timer, b: Timer): number {
  return a.dueAt === b.dueAt ? a.id - b.id : a.dueAt < b.dueAt ? -1 : 1;
}
