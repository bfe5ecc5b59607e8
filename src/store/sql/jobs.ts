import { type RawBuilder, sql } from 'kysely';
import type { ClaimRequest, Job, JobCounts, NewJob } from '../../domain/records.ts';
import type { JobStore } from '../../usecases/ports/store.ts';
import { parseRows } from '../rows.ts';
import { atomic, changed, claimable, type SqlContext } from './dialect.ts';
import { JobRow } from './rows.ts';

export class SqlJobs implements JobStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  /** UNIQUE (key) decides: a side effect queued twice, by any replica, is one job. */
  async enqueue(jobs: readonly NewJob[]): Promise<number> {
    if (jobs.length === 0) return 0;
    const now = this.#ctx.now().toISOString();
    // One statement: rows are inserted (and numbered) in the order given, which is the order they run in.
    const result = await this.#ctx.db
      .insertInto('jobs')
      .values(
        jobs.map((job) => ({
          incident_id: job.incidentId,
          kind: job.kind,
          key: job.key,
          lane: job.lane ?? 'main',
          payload_json: JSON.stringify(job.payload ?? {}),
          next_attempt_at: now,
          created_at: now,
        })),
      )
      .onConflict((conflict) => conflict.column('key').doNothing())
      .executeTakeFirst();
    return changed(result);
  }

  /**
   * The head of each lane whose lease is free or expired: a dead claimant's job is taken over once its
   * lease runs out; a live one's is skipped (on PostgreSQL without waiting: SKIP LOCKED).
   */
  async claim(request: ClaimRequest): Promise<Job[]> {
    const now = this.#ctx.now();
    const at = now.toISOString();
    // Ids first, then exactly those: PostgreSQL may run an `id IN (SELECT ... LIMIT n FOR UPDATE SKIP
    // LOCKED)` subquery more than once in one UPDATE and hand out more than the limit.
    const rows = await atomic(this.#ctx, async (tx) => {
      const ready = await claimable(
        tx,
        this.#heads(tx, at, request.incidentId, request.skip).limit(request.limit),
      ).execute();
      if (ready.length === 0) return [];
      return (
        tx.db
          .updateTable('jobs')
          .set((eb) => ({
            claimed_by: request.owner,
            lease_until: new Date(now.getTime() + request.leaseMs).toISOString(),
            attempts: eb('attempts', '+', 1),
          }))
          .where(
            'id',
            'in',
            ready.map((row) => row.id),
          )
          // Re-checked on the locked row: PostgreSQL re-reads a row another replica changed meanwhile.
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
          .returningAll()
          .execute()
      );
    });
    return parseRows(JobRow, rows).sort((a, b) => a.id - b.id);
  }

  /** The first unfinished job of each lane of each incident, due and not leased, oldest first. */
  #heads(ctx: SqlContext, at: string, incidentId: number | undefined, skip: readonly number[] = []) {
    let heads = ctx.db
      .selectFrom('jobs as j')
      .select('j.id')
      .where('j.status', '=', 'queued')
      .where('j.next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('j.lease_until', 'is', null), eb('j.lease_until', '<=', at)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('jobs as e')
              .select('e.id')
              .where('e.status', '=', 'queued')
              .whereRef('e.incident_id', '=', 'j.incident_id')
              .whereRef('e.id', '<', 'j.id')
              .where((eb) => eb.or([eb('e.lane', '=', eb.ref('j.lane')), eb('e.lane', '=', 'main')])),
          ),
        ),
      );
    if (incidentId !== undefined) heads = heads.where('j.incident_id', '=', incidentId);
    if (skip.length > 0) heads = heads.where('j.id', 'not in', [...skip]);
    return heads.orderBy('j.id');
  }

  /** One statement per renewal tick: a job finished, retried or taken over is no longer `owner`'s. */
  async renew(owner: string, ids: readonly number[], leaseMs: number): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.#ctx.db
      .updateTable('jobs')
      .set({ lease_until: new Date(this.#ctx.now().getTime() + leaseMs).toISOString() })
      .where('id', 'in', [...ids])
      .where('claimed_by', '=', owner)
      .where('status', '=', 'queued')
      .returning('id')
      .execute();
    return rows.map((row) => row.id).sort((a, b) => a - b);
  }

  async complete(id: number, owner: string): Promise<void> {
    await this.#finish(id, owner, {
      status: 'done',
      finished_at: this.#ctx.now().toISOString(),
      last_error: null,
    });
  }

  async retry(id: number, owner: string, error: string, at: Date): Promise<void> {
    await this.#finish(id, owner, { next_attempt_at: at.toISOString(), last_error: error });
  }

  async fail(id: number, owner: string, error: string): Promise<void> {
    await this.#finish(id, owner, {
      status: 'failed',
      finished_at: this.#ctx.now().toISOString(),
      last_error: error,
    });
  }

  /** Only the lease holder may finish a job: a claimant whose lease was taken over changes nothing. */
  async #finish(
    id: number,
    owner: string,
    set: { status?: string; finished_at?: string; next_attempt_at?: string; last_error: string | null },
  ): Promise<void> {
    await this.#ctx.db
      .updateTable('jobs')
      .set({ ...set, claimed_by: null, lease_until: null })
      .where('id', '=', id)
      .where('claimed_by', '=', owner)
      .execute();
  }

  async releaseOthers(owner: string): Promise<number> {
    const result = await this.#ctx.db
      .updateTable('jobs')
      .set({ claimed_by: null, lease_until: null })
      .where('status', '=', 'queued')
      .where('claimed_by', '<>', owner)
      .executeTakeFirst();
    return changed(result);
  }

  async wakeRetrying(): Promise<number> {
    const now = this.#ctx.now().toISOString();
    const result = await this.#ctx.db
      .updateTable('jobs')
      .set({ next_attempt_at: now })
      .where('status', '=', 'queued')
      .where('attempts', '>', 0)
      .where('next_attempt_at', '>', now)
      .executeTakeFirst();
    return changed(result);
  }

  async counts(): Promise<JobCounts> {
    // One subquery per partial index (literals, so SQLite matches them): done jobs pile up until pruned.
    const count = (where: RawBuilder<boolean>) =>
      sql<number>`(select cast(count(*) as integer) from jobs where ${where})`;
    const row = await this.#ctx.db
      .selectNoFrom([
        count(sql`status = 'queued'`).as('queued'),
        count(sql`status = 'queued' and attempts > 0 and last_error is not null`).as('retrying'),
        count(sql`status = 'failed'`).as('failed'),
      ])
      .executeTakeFirstOrThrow();
    return { queued: row.queued, retrying: row.retrying, failed: row.failed };
  }

  async forIncident(incidentId: number): Promise<Job[]> {
    const rows = await this.#ctx.db
      .selectFrom('jobs')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute();
    return parseRows(JobRow, rows);
  }

  async prune(before: Date): Promise<number> {
    const result = await this.#ctx.db
      .deleteFrom('jobs')
      .where('status', '<>', 'queued')
      .where('finished_at', '<', before.toISOString())
      .executeTakeFirst();
    return changed(result);
  }
}
