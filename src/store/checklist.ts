import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  CommandSchema,
  ExampleSchema,
  JumpSchema,
  OptionSchema,
  WarningSchema,
} from '../domain/stepContent.ts';
import {
  type CheckChange,
  type CheckChangeResult,
  type IncidentCheck,
  IncidentCheckSchema,
  type IncidentStep,
  type NewStep,
  StepFieldsSchema,
  type StepSection,
  type StepState,
} from '../domain/steps.ts';
import { type Clock, Flag, jsonColumn, parseOptionalRow, parseRows } from './rows.ts';

export {
  type CheckChange,
  type CheckChangeResult,
  type IncidentCheck,
  IncidentCheckSchema,
  type IncidentStep,
  IncidentStepSchema,
  type NewStep,
  type StepSection,
  StepSectionSchema,
  type StepState,
  StepStateSchema,
} from '../domain/steps.ts';

/** SQLite keeps flags as 0/1 and lists as JSON text. */
const CheckRowSchema = IncidentCheckSchema.extend({ checked: Flag });
const StepRowSchema = StepFieldsSchema.extend({
  commands: jsonColumn(z.array(CommandSchema)),
  warnings: jsonColumn(z.array(WarningSchema)),
  examples: jsonColumn(z.array(ExampleSchema)),
  options: jsonColumn(z.array(OptionSchema)),
  jumps: jsonColumn(z.array(JumpSchema)),
});

export class ChecklistRepository {
  readonly #db: Database.Database;
  readonly #now: Clock;
  readonly #insertStep: Database.Statement;
  readonly #insertCheck: Database.Statement;
  readonly #getStep: Database.Statement;
  readonly #checksOfStep: Database.Statement;
  readonly #stepsOfIncident: Database.Statement;
  readonly #checksOfIncident: Database.Statement;
  readonly #pendingOfIncident: Database.Statement;
  readonly #tick: Database.Statement;
  readonly #clear: Database.Statement;
  readonly #touch: Database.Statement;
  readonly #setState: Database.Statement;
  readonly #setMessageTs: Database.Statement;
  readonly #choose: Database.Statement;
  readonly #assign: Database.Statement;
  readonly #assignedTo: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#db = db;
    this.#now = now;
    this.#insertStep = db.prepare(
      `INSERT INTO incident_steps (incident_id, position, section, runbook_id, number, title, body,
         commands_json, warnings_json, examples_json, options_json, jumps_json, phase, phase_title, updated_at)
       VALUES (@incidentId, @position, @section, @runbookId, @number, @title, @body, @commands, @warnings,
         @examples, @options, @jumps, @phase, @phaseTitle, @now)`,
    );
    this.#insertCheck = db.prepare(
      'INSERT INTO incident_checks (step_id, position, text) VALUES (@stepId, @position, @text)',
    );
    this.#getStep = db.prepare('SELECT * FROM incident_steps WHERE id = ?');
    this.#checksOfStep = db.prepare('SELECT * FROM incident_checks WHERE step_id = ? ORDER BY position');
    this.#stepsOfIncident = db.prepare(
      'SELECT * FROM incident_steps WHERE incident_id = ? ORDER BY position',
    );
    this.#checksOfIncident = db.prepare(
      `SELECT c.* FROM incident_checks c JOIN incident_steps s ON s.id = c.step_id
       WHERE s.incident_id = ? ORDER BY c.step_id, c.position`,
    );
    this.#pendingOfIncident = db.prepare(
      "SELECT * FROM incident_steps WHERE incident_id = ? AND state = 'pending' ORDER BY position",
    );
    // Each statement touches one box and only if it is not already in the target state, so two
    // people ticking different boxes of one step never overwrite each other, and `changes` says
    // whether this call made the difference.
    this.#tick = db.prepare(
      `UPDATE incident_checks SET checked = 1, checked_by = @by, checked_at = @now
       WHERE step_id = @stepId AND position = @position AND checked = 0`,
    );
    this.#clear = db.prepare(
      `UPDATE incident_checks SET checked = 0, checked_by = NULL, checked_at = NULL
       WHERE step_id = @stepId AND position = @position AND checked = 1`,
    );
    this.#touch = db.prepare('UPDATE incident_steps SET updated_at = ? WHERE id = ?');
    this.#setState = db.prepare(
      `UPDATE incident_steps SET
         state = @state,
         updated_at = @now,
         completed_by = CASE WHEN @state = 'done' THEN @by END,
         completed_at = CASE WHEN @state = 'done' THEN @now END,
         skipped_by = CASE WHEN @state = 'skipped' THEN @by END,
         skip_reason = CASE WHEN @state = 'skipped' THEN @reason END
       WHERE id = @id AND state <> @state`,
    );
    this.#setMessageTs = db.prepare('UPDATE incident_steps SET message_ts = ? WHERE id = ?');
    // Only the first pick counts: a second click from a stale message must not change the choice.
    this.#choose = db.prepare(
      `UPDATE incident_steps SET chosen_option = @key, chosen_by = @by, chosen_at = @now, updated_at = @now
       WHERE id = @id AND chosen_option IS NULL`,
    );
    this.#assign = db.prepare(
      `UPDATE incident_steps SET assignee_id = @assignee, assigned_by = @by, assigned_at = @now, updated_at = @now
       WHERE id = @id AND assignee_id IS NOT @assignee`,
    );
    // Open incidents only: a task of a resolved incident is nobody's to do any more.
    this.#assignedTo = db.prepare(
      `SELECT s.* FROM incident_steps s JOIN incidents i ON i.id = s.incident_id
       WHERE s.assignee_id = ? AND s.state IN ('pending', 'active') AND i.resolved_at IS NULL
       ORDER BY s.incident_id, s.position LIMIT ?`,
    );
  }

  /** Inserts the step and its checks together: a step never exists without its verifications. */
  insertStep(step: NewStep): IncidentStep {
    const [inserted] = this.insertSteps([step]);
    if (!inserted) throw new Error('insertSteps returned nothing for one step');
    return inserted;
  }

  /** Inserts a whole checklist in one transaction, so a half-instantiated runbook is never visible. */
  insertSteps(steps: readonly NewStep[]): IncidentStep[] {
    const now = this.#now().toISOString();
    const ids = this.#db.transaction(() =>
      steps.map((step) => {
        const id = Number(
          this.#insertStep.run({
            incidentId: step.incidentId,
            position: step.position,
            section: step.section,
            runbookId: step.runbookId ?? null,
            number: step.number ?? null,
            title: step.title,
            body: step.body ?? '',
            commands: JSON.stringify(step.commands ?? []),
            warnings: JSON.stringify(step.warnings ?? []),
            examples: JSON.stringify(step.examples ?? []),
            options: JSON.stringify(step.options ?? []),
            jumps: JSON.stringify(step.jumps ?? []),
            phase: step.phase ?? null,
            phaseTitle: step.phaseTitle ?? null,
            now,
          }).lastInsertRowid,
        );
        (step.checks ?? []).forEach((text, position) => {
          this.#insertCheck.run({ stepId: id, position, text });
        });
        return id;
      }),
    )();
    return ids.map((id) => this.#mustGetStep(id));
  }

  getStep(stepId: number): IncidentStep | null {
    const row = parseOptionalRow(StepRowSchema, this.#getStep.get(stepId));
    if (!row) return null;
    return { ...row, checks: parseRows(CheckRowSchema, this.#checksOfStep.all(stepId)) };
  }

  /** The incident's checklist in order, each step with its checks in order. */
  listSteps(incidentId: number): IncidentStep[] {
    const checksByStep = new Map<number, IncidentCheck[]>();
    for (const check of parseRows(CheckRowSchema, this.#checksOfIncident.all(incidentId))) {
      const list = checksByStep.get(check.stepId) ?? [];
      list.push(check);
      checksByStep.set(check.stepId, list);
    }
    return parseRows(StepRowSchema, this.#stepsOfIncident.all(incidentId)).map((step) => ({
      ...step,
      checks: checksByStep.get(step.id) ?? [],
    }));
  }

  /** The first pending step by position, optionally only among some sections (e.g. not post-incident). */
  nextPending(incidentId: number, sections?: readonly StepSection[]): IncidentStep | null {
    const steps = parseRows(StepRowSchema, this.#pendingOfIncident.all(incidentId));
    const next = steps.find((step) => !sections || sections.includes(step.section));
    return next ? this.getStep(next.id) : null;
  }

  /** Ticks and clears boxes of one step atomically; returns which positions actually changed. */
  setChecks(stepId: number, change: CheckChange): CheckChangeResult {
    const tick = [...new Set(change.tick ?? [])];
    const clear = [...new Set(change.clear ?? [])];
    const both = tick.filter((position) => clear.includes(position));
    if (both.length > 0) {
      throw new Error(
        `Check positions ${both.join(', ')} are both ticked and cleared: pass each in one list only`,
      );
    }
    const now = this.#now().toISOString();
    const { ticked, cleared } = this.#db
      .transaction(() => {
        const result = {
          ticked: tick.filter(
            (position) => this.#tick.run({ stepId, position, by: change.by, now }).changes === 1,
          ),
          cleared: clear.filter((position) => this.#clear.run({ stepId, position }).changes === 1),
        };
        if (result.ticked.length + result.cleared.length > 0) this.#touch.run(now, stepId);
        return result;
      })
      .immediate();
    return { ticked, cleared, step: this.#mustGetStep(stepId) };
  }

  /**
   * Moves a step to `state`, recording who completed or skipped it; reopening (pending/active)
   * clears those fields. `changed` is false if the step was already in that state, so a
   * double-clicked "Done" is recorded once.
   */
  setStepState(
    stepId: number,
    state: StepState,
    by: string,
    reason?: string,
  ): { changed: boolean; step: IncidentStep } {
    const { changes } = this.#setState.run({
      id: stepId,
      state,
      by,
      reason: reason ?? null,
      now: this.#now().toISOString(),
    });
    return { changed: changes === 1, step: this.#mustGetStep(stepId) };
  }

  setMessageTs(stepId: number, messageTs: string | null): void {
    this.#setMessageTs.run(messageTs, stepId);
  }

  /** Records the option picked for a step; `changed` is false when one was already picked. */
  chooseOption(stepId: number, key: string, by: string): { changed: boolean; step: IncidentStep } {
    const { changes } = this.#choose.run({ id: stepId, key, by, now: this.#now().toISOString() });
    return { changed: changes === 1, step: this.#mustGetStep(stepId) };
  }

  /** Hands a step to one person; `changed` is false when it was theirs already. */
  assign(stepId: number, assignee: string, by: string): { changed: boolean; step: IncidentStep } {
    const { changes } = this.#assign.run({ id: stepId, assignee, by, now: this.#now().toISOString() });
    return { changed: changes === 1, step: this.#mustGetStep(stepId) };
  }

  /** One person's open steps across the open incidents (App Home's "my tasks"), the first `limit`. */
  assignedTo(userId: string, limit = 50): IncidentStep[] {
    return parseRows(StepRowSchema, this.#assignedTo.all(userId, limit)).map((step) => ({
      ...step,
      checks: parseRows(CheckRowSchema, this.#checksOfStep.all(step.id)),
    }));
  }

  #mustGetStep(stepId: number): IncidentStep {
    const step = this.getStep(stepId);
    if (!step) throw new Error(`Checklist step ${stepId} does not exist: reload the incident's checklist`);
    return step;
  }
}
