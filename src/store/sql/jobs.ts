import { type RawBuilder, sql } from 'kysely';
import type { ClaimRequest, Job, JobCounts, NewJob } from '../../domain/records.ts';
import type { JobStore } from '../../usecases/ports/store.ts';
import { parseRows } from '../rows.ts';
import { atomic, changed, claimable, type SqlContext, type SqlKind } from './dialect.ts';
import {
  byShape,
  type IdParams,
  idPlaceholders,
  idValues,
  prepare,
  rowParams,
  rowPlaceholders,
} from './prepared.ts';
import { JobRow } from './rows.ts';

function jobValues(job: NewJob, now: string) {
  return {
    incident_id: job.incidentId,
    kind: job.kind,
    key: job.key,
    lane: job.lane ?? 'main',
    payload_json: JSON.stringify(job.payload ?? {}),
    next_attempt_at: now,
    created_at: now,
  };
}
type JobValues = ReturnType<typeof jobValues>;
const JOB_COLUMNS = Object.keys(jobValues({ incidentId: 0, kind: '', key: '' }, '')) as (keyof JobValues)[];

// One statement: rows are inserted (and numbered) in the order given, which is the order they run in.
const ENQUEUE = byShape((n: number) =>
  prepare<Record<string, unknown>>()((db, p) =>
    db
      .insertInto('jobs')
      .values(rowPlaceholders<JobValues>(p, n, JOB_COLUMNS))
      .onConflict((conflict) => conflict.column('key').doNothing()),
  ),
);

type Heads = IdParams & { at: string; limit: number; incidentId: number };
/** `skip`: how many ids this process is still running, left out of the claim (one prepared query per count). */
type HeadsShape = { kind: SqlKind; oneIncident: boolean; skip: number };

/** The first unfinished job of each lane of each incident, due and not leased, oldest first. */
function heads({ kind, oneIncident, skip }: HeadsShape) {
  return prepare<Heads>()((db, p) => {
    let query = db
      .selectFrom('jobs as j')
      .select('j.id')
      // Literals, not bound values: SQLite re-plans (re-prepares) a statement on every run when a bound
      // value decides whether a partial index (jobs_queued, jobs_ready: status = 'queued') applies.
      .where(sql<boolean>`j.status = 'queued'`)
      .where('j.next_attempt_at', '<=', p.at)
      .where((eb) => eb.or([eb('j.lease_until', 'is', null), eb('j.lease_until', '<=', p.at)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('jobs as e')
              .select('e.id')
              .where(sql<boolean>`e.status = 'queued'`)
              .whereRef('e.incident_id', '=', 'j.incident_id')
              .whereRef('e.id', '<', 'j.id')
              .where((eb) => eb.or([eb('e.lane', '=', eb.ref('j.lane')), eb('e.lane', '=', 'main')])),
          ),
        ),
      );
    if (oneIncident) query = query.where('j.incident_id', '=', p.incidentId);
    if (skip > 0) query = query.where('j.id', 'not in', idPlaceholders(p, skip));
    return claimable({ kind }, query.orderBy('j.id').limit(p.limit));
  });
}

// The job runner claims and finishes a job for every Slack side effect: its statements are prepared once.
// `heads` differs by database (FOR UPDATE SKIP LOCKED on PostgreSQL), so one of each per kind.
const HEADS = byShape(heads, (shape) => `${shape.kind}:${shape.oneIncident}:${shape.skip}`);
const CLAIM = byShape((n: number) =>
  prepare<IdParams & { owner: string; leaseUntil: string; at: string }>()((db, p) =>
    db
      .updateTable('jobs')
      .set((eb) => ({ claimed_by: p.owner, lease_until: p.leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', idPlaceholders(p, n))
      // Re-checked on the locked row: PostgreSQL re-reads a row another replica changed meanwhile.
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', p.at)]))
      .returningAll(),
  ),
);

/** Only the lease holder may finish a job: a claimant whose lease was taken over changes nothing. */
const finish = <P extends { id: number; owner: string }>(
  set: (p: P) => {
    status?: string;
    finished_at?: string;
    next_attempt_at?: string;
    last_error: string | null;
  },
) =>
  prepare<P>()((db, p) =>
    db
      .updateTable('jobs')
      .set({ ...set(p), claimed_by: null, lease_until: null })
      .where('id', '=', p.id)
      .where('claimed_by', '=', p.owner),
  );
type Finish = { id: number; owner: string; at: string };
const COMPLETE = finish<Finish>((p) => ({ status: 'done', finished_at: p.at, last_error: null }));
const RETRY = finish<Finish & { error: string }>((p) => ({ next_attempt_at: p.at, last_error: p.error }));
const FAILED = finish<Finish & { error: string }>((p) => ({
  status: 'failed',
  finished_at: p.at,
  last_error: p.error,
}));

export class SqlJobs implements JobStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  /** UNIQUE (key) decides: a side effect queued twice, by any replica, is one job. */
  async enqueue(jobs: readonly NewJob[]): Promise<number> {
    if (jobs.length === 0) return 0;
    const now = this.#ctx.now().toISOString();
    const rows = jobs.map((job) => jobValues(job, now));
    return ENQUEUE(rows.length).affected(this.#ctx, rowParams(rows));
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
    const skip = request.skip ?? [];
    const rows = await atomic(this.#ctx, async (tx) => {
      const heads = HEADS({
        kind: tx.kind,
        oneIncident: request.incidentId !== undefined,
        skip: skip.length,
      });
      const ready = await heads.rows(tx, {
        ...idValues(skip),
        at,
        limit: request.limit,
        incidentId: request.incidentId ?? 0,
      });
      if (ready.length === 0) return [];
      const leaseUntil = new Date(now.getTime() + request.leaseMs).toISOString();
      const ids = idValues(ready.map((row) => row.id));
      return CLAIM(ready.length).rows(tx, { ...ids, owner: request.owner, leaseUntil, at });
    });
    return parseRows(JobRow, rows).sort((a, b) => a.id - b.id);
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
    await COMPLETE.affected(this.#ctx, { id, owner, at: this.#ctx.now().toISOString() });
  }

  async retry(id: number, owner: string, error: string, at: Date): Promise<void> {
    await RETRY.affected(this.#ctx, { id, owner, error, at: at.toISOString() });
  }

  async fail(id: number, owner: string, error: string): Promise<void> {
    await FAILED.affected(this.#ctx, { id, owner, error, at: this.#ctx.now().toISOString() });
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
