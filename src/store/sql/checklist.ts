import type {
  CheckChange,
  CheckChangeResult,
  IncidentCheck,
  IncidentStep,
  NewStep,
  StepSection,
  StepState,
} from '../../domain/steps.ts';
import type { ChecklistStore } from '../../usecases/ports/store.ts';
import { parseOptionalRow, parseRow, parseRows } from '../rows.ts';
import { atomic, changed, type SqlContext } from './dialect.ts';
import { byShape, prepare, rowParams, rowPlaceholders } from './prepared.ts';
import { CheckRow, StepRow } from './rows.ts';

export class SqlChecklist implements ChecklistStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async insertStep(step: NewStep): Promise<IncidentStep> {
    const [inserted] = await this.insertSteps([step]);
    if (!inserted) throw new Error('insertSteps returned nothing for one step');
    return inserted;
  }

  /** The whole checklist in one transaction, so a half-instantiated runbook is never visible. */
  async insertSteps(steps: readonly NewStep[]): Promise<IncidentStep[]> {
    if (steps.length === 0) return [];
    const now = this.#ctx.now().toISOString();
    // One statement for the steps and one for all their checks, whatever their number: on a network
    // database a declare costs a few round trips, not four per step.
    return atomic(this.#ctx, async (tx) => {
      const values = steps.map((step) => stepValues(step, now));
      const rows = await INSERT_STEPS(values.length).rows(tx, rowParams(values));
      const byPlace = new Map(rows.map((row) => [`${row.incident_id}:${row.position}`, row]));
      const inserted = steps.map((step) => {
        const row = byPlace.get(`${step.incidentId}:${step.position}`);
        if (!row) throw new Error(`Step ${step.position} of incident ${step.incidentId} was not stored`);
        return row;
      });
      const checks = steps.flatMap((step, index) =>
        (step.checks ?? []).map((text, position) => ({ step_id: inserted[index]?.id ?? 0, position, text })),
      );
      const checkRows =
        checks.length === 0 ? [] : await INSERT_CHECKS(checks.length).rows(tx, rowParams(checks));
      const checksByStep = groupChecks(parseRows(CheckRow, checkRows));
      return inserted.map((row) => ({
        ...parseRow(StepRow, row),
        checks: (checksByStep.get(row.id) ?? []).sort((x, y) => x.position - y.position),
      }));
    });
  }

  getStep(stepId: number): Promise<IncidentStep | null> {
    return getStep(this.#ctx, stepId);
  }

  async listSteps(incidentId: number): Promise<IncidentStep[]> {
    const checksByStep = groupChecks(
      parseRows(CheckRow, await INCIDENT_CHECKS.rows(this.#ctx, { incidentId })),
    );
    return parseRows(StepRow, await INCIDENT_STEPS.rows(this.#ctx, { incidentId })).map((step) => ({
      ...step,
      checks: checksByStep.get(step.id) ?? [],
    }));
  }

  async nextPending(incidentId: number, sections?: readonly StepSection[]): Promise<IncidentStep | null> {
    let query = this.#ctx.db
      .selectFrom('incident_steps')
      .select('id')
      .where('incident_id', '=', incidentId)
      .where('state', '=', 'pending');
    if (sections) {
      if (sections.length === 0) return null;
      query = query.where('section', 'in', [...sections]);
    }
    const next = await query.orderBy('position').limit(1).executeTakeFirst();
    return next ? getStep(this.#ctx, next.id) : null;
  }

  /** Each box changes only if it is not in the target state yet, so two people ticking never overwrite. */
  async setChecks(stepId: number, change: CheckChange): Promise<CheckChangeResult> {
    const tick = [...new Set(change.tick ?? [])];
    const clear = [...new Set(change.clear ?? [])];
    const both = tick.filter((position) => clear.includes(position));
    if (both.length > 0) {
      throw new Error(
        `Check positions ${both.join(', ')} are both ticked and cleared: pass each in one list only`,
      );
    }
    const now = this.#ctx.now().toISOString();
    return atomic(this.#ctx, async (tx) => {
      const ticked: number[] = [];
      const cleared: number[] = [];
      for (const position of tick) {
        if ((await TICK.affected(tx, { stepId, position, by: change.by, now })) === 1) ticked.push(position);
      }
      for (const position of clear) {
        if ((await CLEAR.affected(tx, { stepId, position })) === 1) cleared.push(position);
      }
      if (ticked.length + cleared.length > 0) await TOUCH_STEP.affected(tx, { stepId, now });
      return { ticked, cleared, step: await mustGetStep(tx, stepId) };
    });
  }

  async setStepState(
    stepId: number,
    state: StepState,
    by: string,
    reason?: string,
  ): Promise<{ changed: boolean; step: IncidentStep }> {
    const now = this.#ctx.now().toISOString();
    const result = await this.#ctx.db
      .updateTable('incident_steps')
      .set({
        state,
        updated_at: now,
        completed_by: state === 'done' ? by : null,
        completed_at: state === 'done' ? now : null,
        skipped_by: state === 'skipped' ? by : null,
        skip_reason: state === 'skipped' ? (reason ?? null) : null,
      })
      .where('id', '=', stepId)
      .where('state', '<>', state)
      .executeTakeFirst();
    return { changed: changed(result) === 1, step: await mustGetStep(this.#ctx, stepId) };
  }

  async setMessageTs(stepId: number, messageTs: string | null): Promise<void> {
    await this.#ctx.db
      .updateTable('incident_steps')
      .set({ message_ts: messageTs })
      .where('id', '=', stepId)
      .execute();
  }

  /** Only the first pick counts: a second click from a stale message must not change the choice. */
  async chooseOption(
    stepId: number,
    key: string,
    by: string,
  ): Promise<{ changed: boolean; step: IncidentStep }> {
    const now = this.#ctx.now().toISOString();
    const result = await this.#ctx.db
      .updateTable('incident_steps')
      .set({ chosen_option: key, chosen_by: by, chosen_at: now, updated_at: now })
      .where('id', '=', stepId)
      .where('chosen_option', 'is', null)
      .executeTakeFirst();
    return { changed: changed(result) === 1, step: await mustGetStep(this.#ctx, stepId) };
  }

  async assign(
    stepId: number,
    assignee: string,
    by: string,
  ): Promise<{ changed: boolean; step: IncidentStep }> {
    const now = this.#ctx.now().toISOString();
    const result = await this.#ctx.db
      .updateTable('incident_steps')
      .set({ assignee_id: assignee, assigned_by: by, assigned_at: now, updated_at: now })
      .where('id', '=', stepId)
      .where((eb) => eb.or([eb('assignee_id', 'is', null), eb('assignee_id', '<>', assignee)]))
      .executeTakeFirst();
    return { changed: changed(result) === 1, step: await mustGetStep(this.#ctx, stepId) };
  }

  /** One person's open steps across the open incidents (App Home's "my tasks"), the first `limit`. */
  async assignedTo(userId: string, limit = 50): Promise<IncidentStep[]> {
    const rows = await this.#ctx.db
      .selectFrom('incident_steps as s')
      .innerJoin('incidents as i', 'i.id', 's.incident_id')
      .selectAll('s')
      .where('s.assignee_id', '=', userId)
      .where('s.state', 'in', ['pending', 'active'])
      .where('i.resolved_at', 'is', null)
      .orderBy('s.incident_id')
      .orderBy('s.position')
      .limit(limit)
      .execute();
    return Promise.all(rows.map((row) => mustGetStep(this.#ctx, row.id)));
  }
}

function stepValues(step: NewStep, now: string) {
  return {
    incident_id: step.incidentId,
    position: step.position,
    section: step.section,
    runbook_id: step.runbookId ?? null,
    number: step.number ?? null,
    title: step.title,
    body: step.body ?? '',
    commands_json: JSON.stringify(step.commands ?? []),
    warnings_json: JSON.stringify(step.warnings ?? []),
    examples_json: JSON.stringify(step.examples ?? []),
    options_json: JSON.stringify(step.options ?? []),
    jumps_json: JSON.stringify(step.jumps ?? []),
    phase: step.phase ?? null,
    phase_title: step.phaseTitle ?? null,
    updated_at: now,
  };
}

type StepValues = ReturnType<typeof stepValues>;
const STEP_COLUMNS = Object.keys(
  stepValues({ incidentId: 0, position: 0, section: 'step', title: '' }, ''),
) as (keyof StepValues)[];
type CheckValues = { step_id: number; position: number; text: string };
const CHECK_COLUMNS: (keyof CheckValues)[] = ['step_id', 'position', 'text'];

// A declare inserts the whole checklist in two statements; prepared once per number of rows.
const INSERT_STEPS = byShape((n: number) =>
  prepare<Record<string, unknown>>()((db, p) =>
    db
      .insertInto('incident_steps')
      .values(rowPlaceholders<StepValues>(p, n, STEP_COLUMNS))
      .returningAll(),
  ),
);
const INSERT_CHECKS = byShape((n: number) =>
  prepare<Record<string, unknown>>()((db, p) =>
    db
      .insertInto('incident_checks')
      .values(rowPlaceholders<CheckValues>(p, n, CHECK_COLUMNS))
      .returningAll(),
  ),
);

function groupChecks(checks: IncidentCheck[]): Map<number, IncidentCheck[]> {
  const byStep = new Map<number, IncidentCheck[]>();
  for (const check of checks) {
    const list = byStep.get(check.stepId) ?? [];
    list.push(check);
    byStep.set(check.stepId, list);
  }
  return byStep;
}

// The checklist of an incident: read by every step change and the page path, prepared once.
const INCIDENT_CHECKS = prepare<{ incidentId: number }>()((db, p) =>
  db
    .selectFrom('incident_checks as c')
    .innerJoin('incident_steps as s', 's.id', 'c.step_id')
    .selectAll('c')
    .where('s.incident_id', '=', p.incidentId)
    .orderBy('c.step_id')
    .orderBy('c.position'),
);
const INCIDENT_STEPS = prepare<{ incidentId: number }>()((db, p) =>
  db.selectFrom('incident_steps').selectAll().where('incident_id', '=', p.incidentId).orderBy('position'),
);

// The statements of a tick (every checkbox click), prepared once.
const STEP = prepare<{ stepId: number }>()((db, p) =>
  db.selectFrom('incident_steps').selectAll().where('id', '=', p.stepId),
);
const CHECKS = prepare<{ stepId: number }>()((db, p) =>
  db.selectFrom('incident_checks').selectAll().where('step_id', '=', p.stepId).orderBy('position'),
);
const TICK = prepare<{ stepId: number; position: number; by: string; now: string }>()((db, p) =>
  db
    .updateTable('incident_checks')
    .set({ checked: 1, checked_by: p.by, checked_at: p.now })
    .where('step_id', '=', p.stepId)
    .where('position', '=', p.position)
    .where('checked', '=', 0),
);
const CLEAR = prepare<{ stepId: number; position: number }>()((db, p) =>
  db
    .updateTable('incident_checks')
    .set({ checked: 0, checked_by: null, checked_at: null })
    .where('step_id', '=', p.stepId)
    .where('position', '=', p.position)
    .where('checked', '=', 1),
);
const TOUCH_STEP = prepare<{ stepId: number; now: string }>()((db, p) =>
  db.updateTable('incident_steps').set({ updated_at: p.now }).where('id', '=', p.stepId),
);

async function getStep(ctx: SqlContext, stepId: number): Promise<IncidentStep | null> {
  const row = parseOptionalRow(StepRow, await STEP.first(ctx, { stepId }));
  if (!row) return null;
  return { ...row, checks: parseRows(CheckRow, await CHECKS.rows(ctx, { stepId })) };
}

async function mustGetStep(ctx: SqlContext, stepId: number): Promise<IncidentStep> {
  const step = await getStep(ctx, stepId);
  if (!step) throw new Error(`Checklist step ${stepId} does not exist: reload the incident's checklist`);
  return step;
}
