import { sql } from 'kysely';
import type { SkippedStep, StepProgress } from '../../domain/steps.ts';
import type { Timer } from '../../domain/timer.ts';
import type {
  OpenBoard,
  OpenBoardStore,
  PeriodicTimerStore,
  RunbookHistoryStore,
  UrgencyCursor,
} from '../../usecases/ports/store.ts';
import { parseRows } from '../rows.ts';
import { changed, countAll, incidentOpen, type SqlContext } from './dialect.ts';
import { IncidentRow, ProgressRow, SkippedStepRow, TimerRow } from './rows.ts';

/** App Home's view of every open incident in a fixed number of statements, whatever their number. */
export class SqlOpenBoard implements OpenBoardStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async mostUrgent(limit: number, after?: UrgencyCursor): Promise<OpenBoard> {
    let query = this.#ctx.db
      .selectFrom('incidents')
      .selectAll()
      .where(incidentOpen('status'))
      // P0 < P1 < P2 < P3 as text too: most severe first.
      .orderBy('severity')
      .orderBy('declared_at')
      .orderBy('id')
      .limit(limit);
    if (after)
      query = query.where((eb) =>
        eb(
          eb.refTuple('severity', 'declared_at', 'id'),
          '>',
          eb.tuple(after.severity, after.declaredAt, after.id),
        ),
      );
    const rows = await query.execute();
    const incidents = parseRows(IncidentRow, rows);
    const ids = incidents.map((i) => i.id);
    if (ids.length === 0) return { incidents, progress: new Map(), timers: new Map() };
    return { incidents, progress: await this.progress(ids), timers: await this.timers(ids) };
  }

  /** Of every open incident, or of the open incidents `ids` only. */
  async progress(ids?: readonly number[]): Promise<Map<number, StepProgress>> {
    let query = this.#ctx.db
      // CROSS JOIN fixes SQLite's join order (PostgreSQL reads it as an inner join): walk the open
      // incidents (a partial index), then their rows, never every step or timer ever stored.
      .selectFrom('incidents as i')
      .crossJoin('incident_steps as s')
      .whereRef('s.incident_id', '=', 'i.id')
      .leftJoin('incident_steps as a', (join) =>
        join.on(
          'a.id',
          '=',
          sql<number>`(select id from incident_steps where incident_id = i.id and state = 'active'
            and section = 'step' order by position limit 1)`,
        ),
      )
      .select([
        's.incident_id',
        countAll(sql`s.state in ('done', 'skipped')`).as('done'),
        countAll().as('total'),
        'a.number as active_number',
        'a.title as active_title',
      ])
      .where(incidentOpen('i.status'))
      .where('s.section', '=', 'step')
      .groupBy(['s.incident_id', 'a.number', 'a.title']);
    if (ids) query = query.where('i.id', 'in', ids);
    const rows = await query.execute();
    return new Map(parseRows(ProgressRow, rows).map((p) => [p.incidentId, p]));
  }

  /** Of every open incident, or of the open incidents `ids` only. */
  async timers(ids?: readonly number[]): Promise<Map<number, Timer[]>> {
    let query = this.#ctx.db
      .selectFrom('incidents as i')
      .crossJoin('timers as t')
      .whereRef('t.incident_id', '=', 'i.id')
      .selectAll('t')
      .where(incidentOpen('i.status'))
      .where('t.fired_at', 'is', null)
      .where('t.cancelled_at', 'is', null)
      .orderBy('t.incident_id')
      .orderBy('t.due_at')
      .orderBy('t.id');
    if (ids) query = query.where('t.incident_id', 'in', ids);
    const rows = await query.execute();
    const byIncident = new Map<number, Timer[]>();
    for (const timer of parseRows(TimerRow, rows)) {
      if (timer.incidentId === null) continue;
      const list = byIncident.get(timer.incidentId) ?? [];
      list.push(timer);
      byIncident.set(timer.incidentId, list);
    }
    return byIncident;
  }
}

/** What incidents and drills say about each runbook, for the weekly review. */
export class SqlRunbookHistory implements RunbookHistoryStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async lastDrills(): Promise<Map<string, Date>> {
    const rows = await this.#ctx.db
      .selectFrom('incidents')
      .select(['runbook_id', (eb) => eb.fn.max('resolved_at').as('at')])
      .where('drill', '=', 1)
      .where('resolved_at', 'is not', null)
      .where('runbook_id', 'is not', null)
      .groupBy('runbook_id')
      .execute();
    return new Map(
      rows.flatMap((r) => (r.runbook_id && r.at ? [[r.runbook_id, new Date(r.at)] as const] : [])),
    );
  }

  async skippedSince(since: Date): Promise<SkippedStep[]> {
    const rows = await this.#ctx.db
      .selectFrom('incident_steps as s')
      .innerJoin('incidents as i', 'i.id', 's.incident_id')
      .select([
        's.runbook_id',
        's.incident_id',
        'i.drill',
        's.number',
        's.title',
        's.skip_reason',
        's.updated_at',
      ])
      .where('s.state', '=', 'skipped')
      .where('s.section', '=', 'step')
      .where('s.runbook_id', 'is not', null)
      .where('s.updated_at', '>=', since.toISOString())
      .orderBy('s.runbook_id')
      .orderBy('s.incident_id')
      .orderBy('s.position')
      .execute();
    return parseRows(SkippedStepRow, rows);
  }
}

/** Timers that belong to no incident (the weekly runbook review): re-planned when the policy changes. */
export class SqlPeriodicTimers implements PeriodicTimerStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async pending(kind: string): Promise<{ id: number; dueAt: string }[]> {
    const rows = await this.#ctx.db
      .selectFrom('timers')
      .select(['id', 'due_at'])
      .where('incident_id', 'is', null)
      .where('kind', '=', kind)
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .orderBy('due_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, dueAt: r.due_at }));
  }

  async cancel(id: number, now: Date): Promise<boolean> {
    const result = await this.#ctx.db
      .updateTable('timers')
      .set({ cancelled_at: now.toISOString() })
      .where('id', '=', id)
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst();
    return changed(result) > 0;
  }
}
