import type { Followup, NewFollowup, Postmortem } from '../../domain/records.ts';
import type { FollowupStore, PostmortemStore } from '../../usecases/ports/store.ts';
import { parseOptionalRow, parseRow, parseRows } from '../rows.ts';
import type { SqlContext } from './dialect.ts';
import { FollowupRow, PostmortemRow } from './rows.ts';

export class SqlPostmortems implements PostmortemStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  /** Idempotent: a re-resolved incident keeps its first due date. */
  async schedule(incidentId: number, dueAt: Date): Promise<Postmortem> {
    await this.#ctx.db
      .insertInto('postmortems')
      .values({
        incident_id: incidentId,
        due_at: dueAt.toISOString(),
        created_at: this.#ctx.now().toISOString(),
      })
      .onConflict((conflict) => conflict.column('incident_id').doNothing())
      .execute();
    const scheduled = await this.get(incidentId);
    if (!scheduled)
      throw new Error(`The post-mortem of incident ${incidentId} was neither scheduled nor found`);
    return scheduled;
  }

  async get(incidentId: number): Promise<Postmortem | null> {
    const row = await this.#ctx.db
      .selectFrom('postmortems')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    return parseOptionalRow(PostmortemRow, row);
  }

  async markDone(incidentId: number, url: string, by: string): Promise<Postmortem | null> {
    const row = await this.#ctx.db
      .updateTable('postmortems')
      .set({ done_at: this.#ctx.now().toISOString(), done_by: by, document_url: url })
      .where('incident_id', '=', incidentId)
      .where('done_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return parseOptionalRow(PostmortemRow, row);
  }

  async listOpen(): Promise<Postmortem[]> {
    const rows = await this.#ctx.db
      .selectFrom('postmortems')
      .selectAll()
      .where('done_at', 'is', null)
      .orderBy('due_at')
      .orderBy('incident_id')
      .execute();
    return parseRows(PostmortemRow, rows);
  }
}

export class SqlFollowups implements FollowupStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async add(input: NewFollowup): Promise<Followup> {
    const row = await this.#ctx.db
      .insertInto('followups')
      .values({
        incident_id: input.incidentId,
        text: input.text,
        owner_id: input.ownerId,
        due_date: input.dueDate,
        created_by: input.createdBy,
        created_at: this.#ctx.now().toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return parseRow(FollowupRow, row);
  }

  async listForIncident(incidentId: number): Promise<Followup[]> {
    const rows = await this.#ctx.db
      .selectFrom('followups')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('due_date')
      .orderBy('id')
      .execute();
    return parseRows(FollowupRow, rows);
  }

  async listOverdue(today: string, remindedBefore: Date): Promise<Followup[]> {
    const rows = await this.#ctx.db
      .selectFrom('followups')
      .selectAll()
      .where('done_at', 'is', null)
      .where('due_date', '<', today)
      .where((eb) =>
        eb.or([
          eb('last_reminded_at', 'is', null),
          eb('last_reminded_at', '<', remindedBefore.toISOString()),
        ]),
      )
      .orderBy('due_date')
      .orderBy('id')
      .execute();
    return parseRows(FollowupRow, rows);
  }

  async markReminded(id: number): Promise<void> {
    await this.#ctx.db
      .updateTable('followups')
      .set({ last_reminded_at: this.#ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
  }

  async markDone(id: number): Promise<Followup | null> {
    const row = await this.#ctx.db
      .updateTable('followups')
      .set({ done_at: this.#ctx.now().toISOString() })
      .where('id', '=', id)
      .where('done_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return parseOptionalRow(FollowupRow, row);
  }
}
