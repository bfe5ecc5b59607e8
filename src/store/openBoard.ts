import type Database from 'better-sqlite3';
import type { StepProgress } from '../domain/steps.ts';
import type { Timer } from '../domain/timer.ts';
import { ProgressRowSchema, parseRows } from './rows.ts';
import { TimerRowSchema } from './timers.ts';

const OPEN = "i.status NOT IN ('resolved', 'closed')";

export type { StepProgress };

/**
 * What App Home shows of every open incident, read in a fixed number of statements whatever the
 * number of incidents: one per incident (steps, timers) was 3.5 s at 10k open.
 */
export class OpenBoardReads {
  readonly #progress: Database.Statement;
  readonly #timers: Database.Statement;

  // CROSS JOIN fixes the join order: walk the open incidents (a partial index), then look up their
  // rows; left to itself the planner walks every step or timer ever stored and looks up incidents.
  constructor(db: Database.Database) {
    // Runbook steps only (section 'step'): the checklist's other sections are not the walk.
    this.#progress = db.prepare(
      `SELECT s.incident_id,
         count(*) FILTER (WHERE s.state IN ('done', 'skipped')) AS done,
         count(*) AS total,
         a.number AS active_number, a.title AS active_title
       FROM incidents i CROSS JOIN incident_steps s ON s.incident_id = i.id
       LEFT JOIN incident_steps a ON a.id = (
         SELECT id FROM incident_steps WHERE incident_id = i.id AND state = 'active' AND section = 'step'
         ORDER BY position LIMIT 1)
       WHERE ${OPEN} AND s.section = 'step'
       GROUP BY s.incident_id`,
    );
    this.#timers = db.prepare(
      `SELECT t.* FROM incidents i CROSS JOIN timers t ON t.incident_id = i.id
       WHERE ${OPEN} AND t.fired_at IS NULL AND t.cancelled_at IS NULL
       ORDER BY t.incident_id, t.due_at, t.id`,
    );
  }

  /** Step progress of each open incident that has runbook steps, by incident id. */
  progress(): Map<number, StepProgress> {
    return new Map(parseRows(ProgressRowSchema, this.#progress.all()).map((p) => [p.incidentId, p]));
  }

  /** Timers still to fire of each open incident, soonest first, by incident id. */
  timers(): Map<number, Timer[]> {
    const byIncident = new Map<number, Timer[]>();
    for (const timer of parseRows(TimerRowSchema, this.#timers.all())) {
      if (timer.incidentId === null) continue;
      const list = byIncident.get(timer.incidentId) ?? [];
      list.push(timer);
      byIncident.set(timer.incidentId, list);
    }
    return byIncident;
  }
}
