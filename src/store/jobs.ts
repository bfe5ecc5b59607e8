import type Database from 'better-sqlite3';
import { type ClaimRequest, type Job, type JobCounts, JobSchema, type NewJob } from '../domain/records.ts';
import { type Clock, JsonObjectSchema, jsonColumn, parseRows } from './rows.ts';

export {
  type ClaimRequest,
  type Job,
  type JobCounts,
  JobSchema,
  JobStatusSchema,
  type NewJob,
} from '../domain/records.ts';

const JobRowSchema = JobSchema.extend({ payload: jsonColumn(JsonObjectSchema) });

/**
 * The job queue on SQLite. Only the job runner and the code that enqueues side effects use it, through the
 * runner's JobQueue port, so the PostgreSQL store can claim with FOR UPDATE SKIP LOCKED instead.
 */
export class JobRepository {
  readonly #db: Database.Database;
  readonly #now: Clock;
  readonly #insert: Database.Statement;
  readonly #claim: Database.Statement;
  readonly #complete: Database.Statement;
  readonly #retry: Database.Statement;
  readonly #fail: Database.Statement;
  readonly #wake: Database.Statement;
  readonly #counts: Database.Statement;
  readonly #forIncident: Database.Statement;
  readonly #prune: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#db = db;
    this.#now = now;
    this.#insert = db.prepare(
      `INSERT INTO jobs (incident_id, kind, key, lane, payload_json, next_attempt_at, created_at)
       VALUES (@incidentId, @kind, @key, @lane, @payload, @now, @now)
       ON CONFLICT (key) DO NOTHING`,
    );
    // The head of each lane only: a job waits until earlier jobs of its lane and of the main lane are
    // finished, so the channel exists before the header, the header before the first step and invites.
    this.#claim = db.prepare(
      `UPDATE jobs SET claimed_by = @owner, lease_until = @leaseUntil, attempts = attempts + 1
       WHERE id IN (
         SELECT j.id FROM jobs j
         WHERE j.status = 'queued' AND j.next_attempt_at <= @now
           AND (j.lease_until IS NULL OR j.lease_until <= @now)
           AND (@incidentId IS NULL OR j.incident_id = @incidentId)
           AND NOT EXISTS (SELECT 1 FROM jobs e
                           WHERE e.status = 'queued' AND e.incident_id = j.incident_id AND e.id < j.id
                             AND (e.lane = j.lane OR e.lane = 'main'))
         ORDER BY j.id
         LIMIT @limit)
       RETURNING *`,
    );
    this.#complete = db.prepare(
      `UPDATE jobs SET status = 'done', finished_at = @now, claimed_by = NULL, lease_until = NULL,
         last_error = NULL
       WHERE id = @id AND claimed_by = @owner`,
    );
    this.#retry = db.prepare(
      `UPDATE jobs SET next_attempt_at = @at, claimed_by = NULL, lease_until = NULL, last_error = @error
       WHERE id = @id AND claimed_by = @owner`,
    );
    this.#fail = db.prepare(
      `UPDATE jobs SET status = 'failed', finished_at = @now, claimed_by = NULL, lease_until = NULL,
         last_error = @error
       WHERE id = @id AND claimed_by = @owner`,
    );
    this.#wake = db.prepare(
      `UPDATE jobs SET next_attempt_at = @now
       WHERE status = 'queued' AND attempts > 0 AND next_attempt_at > @now`,
    );
    this.#counts = db.prepare(
      // One subquery per partial index: done jobs pile up until pruned and are never read here.
      `SELECT
         (SELECT count(*) FROM jobs WHERE status = 'queued') AS queued,
         (SELECT count(*) FROM jobs WHERE status = 'queued' AND attempts > 0 AND last_error IS NOT NULL)
           AS retrying,
         (SELECT count(*) FROM jobs WHERE status = 'failed') AS failed`,
    );
    this.#forIncident = db.prepare('SELECT * FROM jobs WHERE incident_id = ? ORDER BY id');
    this.#prune = db.prepare(`DELETE FROM jobs WHERE status <> 'queued' AND finished_at < ?`);
  }

  /** Queues the jobs in order, skipping any whose key is queued or finished already. */
  enqueue(jobs: readonly NewJob[]): number {
    const now = this.#now().toISOString();
    let added = 0;
    this.#db.transaction(() => {
      for (const job of jobs) {
        added += this.#insert.run({
          incidentId: job.incidentId,
          kind: job.kind,
          key: job.key,
          lane: job.lane ?? 'main',
          payload: JSON.stringify(job.payload ?? {}),
          now,
        }).changes;
      }
    })();
    return added;
  }

  claim(request: ClaimRequest): Job[] {
    const now = this.#now();
    const rows = this.#db
      .transaction(() =>
        this.#claim.all({
          owner: request.owner,
          now: now.toISOString(),
          leaseUntil: new Date(now.getTime() + request.leaseMs).toISOString(),
          limit: request.limit,
          incidentId: request.incidentId ?? null,
        }),
      )
      .immediate();
    return parseRows(JobRowSchema, rows).sort((a, b) => a.id - b.id);
  }

  complete(id: number, owner: string): void {
    this.#complete.run({ id, owner, now: this.#now().toISOString() });
  }

  retry(id: number, owner: string, error: string, at: Date): void {
    this.#retry.run({ id, owner, error, at: at.toISOString() });
  }

  fail(id: number, owner: string, error: string): void {
    this.#fail.run({ id, owner, error, now: this.#now().toISOString() });
  }

  /**
   * Frees jobs claimed by other owners. Only for the single writer at start: whoever claimed them is gone
   * (the writer lock says so), so their jobs need not wait out the lease.
   */
  releaseOthers(owner: string): number {
    return this.#db
      .prepare('UPDATE jobs SET claimed_by = NULL, lease_until = NULL WHERE status = ? AND claimed_by <> ?')
      .run('queued', owner).changes;
  }

  /** Slack answers again: jobs waiting out a backoff are due now. Returns how many. */
  wakeRetrying(): number {
    return this.#wake.run({ now: this.#now().toISOString() }).changes;
  }

  counts(): JobCounts {
    const row = this.#counts.get() as { queued: number; retrying: number; failed: number };
    return { queued: row.queued, retrying: row.retrying, failed: row.failed };
  }

  forIncident(incidentId: number): Job[] {
    return parseRows(JobRowSchema, this.#forIncident.all(incidentId));
  }

  /** Forgets finished jobs older than `before`; queued ones are never pruned. */
  prune(before: Date): number {
    return this.#prune.run(before.toISOString()).changes;
  }
}
