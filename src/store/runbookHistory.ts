import type Database from 'better-sqlite3';
import { type SkippedStep, SkippedStepSchema } from '../domain/steps.ts';
import { DRILL_FINISHED } from './drillRule.ts';
import { Flag, parseRows } from './rows.ts';

export { type SkippedStep, SkippedStepSchema } from '../domain/steps.ts';

const SkippedRowSchema = SkippedStepSchema.extend({ drill: Flag });

/** What incidents and drills say about each runbook, for the weekly review. */
export class RunbookHistory {
  readonly #drills: Database.Statement;
  readonly #skipped: Database.Statement;

  constructor(db: Database.Database) {
    this.#drills = db.prepare(
      `SELECT runbook_id, max(resolved_at) AS at FROM incidents
       WHERE drill = 1 AND resolved_at IS NOT NULL AND runbook_id IS NOT NULL${DRILL_FINISHED} GROUP BY runbook_id`,
    );
    this.#skipped = db.prepare(
      `SELECT s.runbook_id, s.incident_id, i.drill, s.number, s.title, s.skip_reason, s.updated_at
       FROM incident_steps s JOIN incidents i ON i.id = s.incident_id
       WHERE s.state = 'skipped' AND s.section = 'step' AND s.runbook_id IS NOT NULL AND s.updated_at >= ?
       ORDER BY s.runbook_id, s.incident_id, s.position`,
    );
  }

  /** The last finished drill of each runbook (a drill counts as a test). */
  lastDrills(): Map<string, Date> {
    const rows = this.#drills.all() as { runbook_id: string; at: string }[];
    return new Map(rows.map((r) => [r.runbook_id, new Date(r.at)]));
  }

  /** Runbook steps skipped since `since`, in incidents and drills alike. */
  skippedSince(since: Date): SkippedStep[] {
    return parseRows(SkippedRowSchema, this.#skipped.all(since.toISOString()));
  }
}

/** Timers that belong to no incident (the weekly runbook review): the rows to re-plan when the policy changes. */
export class PeriodicTimers {
  readonly #pending: Database.Statement;
  readonly #cancel: Database.Statement;

  constructor(db: Database.Database) {
    this.#pending = db.prepare(
      `SELECT id, due_at FROM timers
       WHERE incident_id IS NULL AND kind = ? AND fired_at IS NULL AND cancelled_at IS NULL ORDER BY due_at`,
    );
    this.#cancel = db.prepare(
      'UPDATE timers SET cancelled_at = @now WHERE id = @id AND fired_at IS NULL AND cancelled_at IS NULL',
    );
  }

  pending(kind: string): { id: number; dueAt: string }[] {
    return (this.#pending.all(kind) as { id: number; due_at: string }[]).map((r) => ({
      id: r.id,
      dueAt: r.due_at,
    }));
  }

  cancel(id: number, now: Date): boolean {
    return this.#cancel.run({ id, now: now.toISOString() }).changes > 0;
  }
}
