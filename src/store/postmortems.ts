import type Database from 'better-sqlite3';
import {
  type Followup,
  FollowupSchema,
  type NewFollowup,
  type Postmortem,
  PostmortemSchema,
} from '../domain/records.ts';
import { type Clock, parseOptionalRow, parseRow, parseRows } from './rows.ts';

export {
  type Followup,
  FollowupSchema,
  type NewFollowup,
  type Postmortem,
  PostmortemSchema,
} from '../domain/records.ts';

/** Post-mortems of resolved incidents: scheduled once, closed once. */
export class PostmortemRepository {
  readonly #now: Clock;
  readonly #insert: Database.Statement;
  readonly #get: Database.Statement;
  readonly #done: Database.Statement;
  readonly #open: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#now = now;
    this.#insert = db.prepare(
      `INSERT INTO postmortems (incident_id, due_at, created_at) VALUES (@incidentId, @dueAt, @now)
       ON CONFLICT (incident_id) DO NOTHING`,
    );
    this.#get = db.prepare('SELECT * FROM postmortems WHERE incident_id = ?');
    this.#done = db.prepare(
      `UPDATE postmortems SET done_at = @now, done_by = @by, document_url = @url
       WHERE incident_id = @incidentId AND done_at IS NULL RETURNING *`,
    );
    this.#open = db.prepare('SELECT * FROM postmortems WHERE done_at IS NULL ORDER BY due_at');
  }

  /** Idempotent: a re-resolved incident keeps its first due date. */
  schedule(incidentId: number, dueAt: Date): Postmortem {
    this.#insert.run({ incidentId, dueAt: dueAt.toISOString(), now: this.#now().toISOString() });
    return this.get(incidentId) as Postmortem;
  }

  get(incidentId: number): Postmortem | null {
    return parseOptionalRow(PostmortemSchema, this.#get.get(incidentId));
  }

  /** Returns null when it was already done (or never scheduled). */
  markDone(incidentId: number, url: string, by: string): Postmortem | null {
    return parseOptionalRow(
      PostmortemSchema,
      this.#done.get({ incidentId, url, by, now: this.#now().toISOString() }),
    );
  }

  listOpen(): Postmortem[] {
    return parseRows(PostmortemSchema, this.#open.all());
  }
}

/** Follow-up action items of incidents. */
export class FollowupRepository {
  readonly #now: Clock;
  readonly #insert: Database.Statement;
  readonly #ofIncident: Database.Statement;
  readonly #overdue: Database.Statement;
  readonly #reminded: Database.Statement;
  readonly #done: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#now = now;
    this.#insert = db.prepare(
      `INSERT INTO followups (incident_id, text, owner_id, due_date, created_by, created_at)
       VALUES (@incidentId, @text, @ownerId, @dueDate, @createdBy, @now) RETURNING *`,
    );
    this.#ofIncident = db.prepare('SELECT * FROM followups WHERE incident_id = ? ORDER BY due_date, id');
    this.#overdue = db.prepare(
      `SELECT * FROM followups WHERE done_at IS NULL AND due_date < @today
         AND (last_reminded_at IS NULL OR last_reminded_at < @remindedBefore)
       ORDER BY due_date, id`,
    );
    this.#reminded = db.prepare('UPDATE followups SET last_reminded_at = @now WHERE id = @id');
    this.#done = db.prepare(
      'UPDATE followups SET done_at = @now WHERE id = @id AND done_at IS NULL RETURNING *',
    );
  }

  add(input: NewFollowup): Followup {
    return parseRow(FollowupSchema, this.#insert.get({ ...input, now: this.#now().toISOString() }));
  }

  listForIncident(incidentId: number): Followup[] {
    return parseRows(FollowupSchema, this.#ofIncident.all(incidentId));
  }

  /** Open items past their due date (`today` in the team's zone) not reminded since `remindedBefore`. */
  listOverdue(today: string, remindedBefore: Date): Followup[] {
    return parseRows(
      FollowupSchema,
      this.#overdue.all({ today, remindedBefore: remindedBefore.toISOString() }),
    );
  }

  markReminded(id: number): void {
    this.#reminded.run({ id, now: this.#now().toISOString() });
  }

  markDone(id: number): Followup | null {
    return parseOptionalRow(FollowupSchema, this.#done.get({ id, now: this.#now().toISOString() }));
  }
}
