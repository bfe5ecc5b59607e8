import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { InboxItem, InboxStatus, NewInboxItem } from '../../domain/records.ts';
import type { InboxStore } from '../../usecases/ports/store.ts';
import { parseOptionalRow, parseRows } from '../rows.ts';
import { atomic, changed, claimable, type SqlContext, type SqlKind } from './dialect.ts';
import { byShape, type IdParams, idPlaceholders, idValues, prepare } from './prepared.ts';
import { InboxRow } from './rows.ts';

// The inbox worker claims on every webhook and every few seconds: its statements are prepared once.
// `skip` ids this process is still working on are left out (one prepared query per count).
const READY = byShape(
  ({ kind, skip }: { kind: SqlKind; skip: number }) =>
    prepare<IdParams & { at: string; limit: number }>()((db, p) => {
      const pending =
        skip > 0
          ? db.selectFrom('inbox').where('id', 'not in', idPlaceholders(p, skip))
          : db.selectFrom('inbox');
      return claimable(
        { kind },
        pending
          .select('id')
          // Literals, not bound values: SQLite re-plans (re-prepares) a statement on every run when a bound
          // value decides whether a partial index (inbox_unfinished, inbox_ready: status <> 'done') applies.
          .where(sql<boolean>`status <> 'done'`)
          .where(sql<boolean>`(status = 'pending' or (status = 'failed' and next_attempt_at is not null))`)
          .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', p.at)]))
          .orderBy('id')
          .limit(p.limit),
      );
    }),
  (shape) => `${shape.kind}:${shape.skip}`,
);
const CLAIM = byShape((n: number) =>
  prepare<IdParams & { leaseUntil: string }>()((db, p) =>
    db
      .updateTable('inbox')
      .set((eb) => ({ status: 'pending', attempts: eb('attempts', '+', 1), next_attempt_at: p.leaseUntil }))
      .where('id', 'in', idPlaceholders(p, n))
      .returningAll(),
  ),
);

export class SqlInbox implements InboxStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  /** UNIQUE (source, delivery_id) decides: a redelivery, to any replica, stores nothing, not even its body. */
  async insert(item: NewInboxItem): Promise<{ id: number; duplicate: boolean }> {
    const deliveryId = item.deliveryId ?? null;
    const now = this.#ctx.now().toISOString();
    const hash = createHash('sha256').update(item.rawBody).digest('hex');
    const inserted = await atomic(this.#ctx, async (tx) => {
      const row = await tx.db
        .insertInto('inbox')
        .values({
          source: item.source,
          delivery_id: deliveryId,
          dedup_key: item.dedupKey ?? null,
          received_at: now,
          raw_body: '',
          headers_json: JSON.stringify(item.headers ?? {}),
          body_hash: hash,
        })
        .onConflict((conflict) => conflict.columns(['source', 'delivery_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row !== undefined) {
        await tx.db
          .insertInto('inbox_bodies')
          .values({ hash, body: item.rawBody, bytes: Buffer.byteLength(item.rawBody), created_at: now })
          .onConflict((conflict) => conflict.column('hash').doNothing())
          .execute();
      }
      return row;
    });
    if (inserted !== undefined) return { id: inserted.id, duplicate: false };
    const existing = await this.#ctx.db
      .selectFrom('inbox')
      .select('id')
      .where('source', '=', item.source)
      .where('delivery_id', '=', deliveryId)
      .executeTakeFirst();
    if (!existing)
      throw new Error(`Inbox delivery ${item.source}/${deliveryId} was neither stored nor found`);
    return { id: existing.id, duplicate: true };
  }

  async get(id: number): Promise<InboxItem | null> {
    const item = parseOptionalRow(
      InboxRow,
      await this.#ctx.db.selectFrom('inbox').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    return item && this.#withBody(item);
  }

  async #withBody(item: InboxItem): Promise<InboxItem> {
    if (!item.bodyHash) return item;
    const row = await this.#ctx.db
      .selectFrom('inbox_bodies')
      .select('body')
      .where('hash', '=', item.bodyHash)
      .executeTakeFirst();
    return { ...item, rawBody: row?.body ?? '' };
  }

  async prune(bodiesBefore: Date, rowsBefore: Date): Promise<{ bodies: number; rows: number }> {
    const before = bodiesBefore.toISOString();
    return atomic(this.#ctx, async (tx) => {
      const rows = await tx.db
        .deleteFrom('inbox')
        .where('status', '=', 'done')
        .where('processed_at', '<', rowsBefore.toISOString())
        .executeTakeFirst();
      const bodies = await tx.db
        .deleteFrom('inbox_bodies')
        .where('created_at', '<', before)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('inbox as i')
                .select('i.id')
                .whereRef('i.body_hash', '=', 'inbox_bodies.hash')
                .where((eb) => eb.or([eb('i.status', '<>', 'done'), eb('i.processed_at', '>=', before)])),
            ),
          ),
        )
        .executeTakeFirst();
      return { rows: changed(rows), bodies: changed(bodies) };
    });
  }

  /**
   * Claiming pushes next_attempt_at out by the lease: if the claimant dies mid-item, the item is
   * claimable again (by any replica) once the lease runs out.
   */
  async claim(limit = 10, leaseMs = 60_000, skip: readonly number[] = []): Promise<InboxItem[]> {
    const now = this.#ctx.now();
    const at = now.toISOString();
    // Ids first, then exactly those: PostgreSQL may run an `id IN (SELECT ... LIMIT n FOR UPDATE SKIP
    // LOCKED)` subquery more than once in one UPDATE and hand out more than the limit.
    const rows = await atomic(this.#ctx, async (tx) => {
      const ready = await READY({ kind: tx.kind, skip: skip.length }).rows(tx, {
        ...idValues(skip),
        at,
        limit,
      });
      if (ready.length === 0) return [];
      const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
      return CLAIM(ready.length).rows(tx, { ...idValues(ready.map((row) => row.id)), leaseUntil });
    });
    const items = parseRows(InboxRow, rows).sort((a, b) => a.id - b.id);
    return Promise.all(items.map((item) => this.#withBody(item)));
  }

  /**
   * One statement per renewal tick. Each claim adds an attempt, so (id, attempts) names one claim: a page
   * another replica claimed after this lease lapsed is its claim now, and is neither renewed nor reported.
   */
  async renew(claims: readonly Pick<InboxItem, 'id' | 'attempts'>[], leaseMs: number): Promise<number[]> {
    if (claims.length === 0) return [];
    const rows = await this.#ctx.db
      .updateTable('inbox')
      .set({ next_attempt_at: new Date(this.#ctx.now().getTime() + leaseMs).toISOString() })
      .where(
        'id',
        'in',
        claims.map((claim) => claim.id),
      )
      .where('status', '=', 'pending')
      .where((eb) =>
        eb.or(claims.map((claim) => eb.and([eb('id', '=', claim.id), eb('attempts', '=', claim.attempts)]))),
      )
      .returning('id')
      .execute();
    return rows.map((row) => row.id).sort((a, b) => a - b);
  }

  async markDone(id: number, incidentId: number | null = null): Promise<void> {
    await this.#ctx.db
      .updateTable('inbox')
      .set({
        status: 'done',
        processed_at: this.#ctx.now().toISOString(),
        next_attempt_at: null,
        last_error: null,
        incident_id: incidentId,
      })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: number, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.#ctx.db
      .updateTable('inbox')
      .set({ status: 'failed', last_error: error, next_attempt_at: nextAttemptAt?.toISOString() ?? null })
      .where('id', '=', id)
      .execute();
  }

  async list(options: { status?: InboxStatus; limit?: number } = {}): Promise<InboxItem[]> {
    let query = this.#ctx.db.selectFrom('inbox').selectAll();
    if (options.status) query = query.where('status', '=', options.status);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100)
      .execute();
    return Promise.all(parseRows(InboxRow, rows).map((item) => this.#withBody(item)));
  }
}
