import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { type InboxItem, InboxItemSchema, type InboxStatus, type NewInboxItem } from '../domain/records.ts';
import { type Clock, jsonColumn, parseOptionalRow, parseRow, parseRows } from './rows.ts';

export {
  type InboxItem,
  InboxItemSchema,
  type InboxStatus,
  InboxStatusSchema,
  type NewInboxItem,
} from '../domain/records.ts';

const InboxRowSchema = InboxItemSchema.extend({ headers: jsonColumn(z.record(z.string(), z.string())) });

const IdRow = z.object({ id: z.number().int() });

/** Durable webhook inbox: a page is stored here before the sender gets its 2xx, then processed. */
export class InboxRepository {
  readonly #db: Database.Database;
  readonly #now: Clock;
  readonly #insert: Database.Statement;
  readonly #findDelivery: Database.Statement;
  readonly #get: Database.Statement;
  readonly #claim: Database.Statement;
  readonly #markDone: Database.Statement;
  readonly #markFailed: Database.Statement;
  readonly #list: Database.Statement;
  readonly #insertBody: Database.Statement;
  readonly #body: Database.Statement;
  readonly #pruneBodies: Database.Statement;
  readonly #pruneRows: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#db = db;
    this.#now = now;
    this.#insertBody = db.prepare(
      `INSERT INTO inbox_bodies (hash, body, bytes, created_at) VALUES (@hash, @body, @bytes, @now)
       ON CONFLICT (hash) DO NOTHING`,
    );
    this.#body = db.prepare('SELECT body FROM inbox_bodies WHERE hash = ?').pluck();
    // A body goes once every delivery that carried it is processed and past retention.
    this.#pruneBodies = db.prepare(
      `DELETE FROM inbox_bodies WHERE created_at < @before AND NOT EXISTS (
         SELECT 1 FROM inbox i WHERE i.body_hash = inbox_bodies.hash
           AND (i.status <> 'done' OR i.processed_at >= @before))`,
    );
    this.#pruneRows = db.prepare(`DELETE FROM inbox WHERE status = 'done' AND processed_at < ?`);
    this.#insert = db.prepare(
      `INSERT INTO inbox (source, delivery_id, dedup_key, received_at, raw_body, headers_json, body_hash)
       VALUES (@source, @deliveryId, @dedupKey, @now, '', @headers, @hash)
       ON CONFLICT (source, delivery_id) DO NOTHING
       RETURNING id`,
    );
    this.#findDelivery = db.prepare('SELECT id FROM inbox WHERE source = ? AND delivery_id = ?');
    this.#get = db.prepare('SELECT * FROM inbox WHERE id = ?');
    // \`status <> 'done'\` lets the planner read the partial index of unfinished rows, not every row.
    // Claiming pushes next_attempt_at out by a lease: if the process dies mid-item, the item
    // becomes claimable again when the lease runs out instead of being stuck.
    this.#claim = db.prepare(
      `UPDATE inbox SET status = 'pending', attempts = attempts + 1, next_attempt_at = @leaseUntil
       WHERE id IN (
         SELECT id FROM inbox
         WHERE status <> 'done'
           AND (status = 'pending' OR (status = 'failed' AND next_attempt_at IS NOT NULL))
           AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
         ORDER BY id
         LIMIT @limit)
       RETURNING *`,
    );
    this.#markDone = db.prepare(
      `UPDATE inbox SET status = 'done', processed_at = @now, next_attempt_at = NULL, last_error = NULL,
         incident_id = @incidentId
       WHERE id = @id`,
    );
    this.#markFailed = db.prepare(
      `UPDATE inbox SET status = 'failed', last_error = @error, next_attempt_at = @nextAttemptAt
       WHERE id = @id`,
    );
    this.#list = db.prepare(
      'SELECT * FROM inbox WHERE (@status IS NULL OR status = @status) ORDER BY id DESC LIMIT @limit',
    );
  }

  /**
   * Stores a delivery. A second delivery with the same (source, deliveryId) is not stored again:
   * the first one's id comes back with `duplicate: true`, and the sender can be answered 2xx.
   */
  insert(item: NewInboxItem): { id: number; duplicate: boolean } {
    const deliveryId = item.deliveryId ?? null;
    const now = this.#now().toISOString();
    const hash = createHash('sha256').update(item.rawBody).digest('hex');
    const row = this.#db.transaction(() => {
      const inserted: unknown = this.#insert.get({
        source: item.source,
        deliveryId,
        dedupKey: item.dedupKey ?? null,
        headers: JSON.stringify(item.headers ?? {}),
        hash,
        now,
      });
      // A redelivery refused by its id stores nothing, not even its body.
      if (inserted !== undefined)
        this.#insertBody.run({ hash, body: item.rawBody, bytes: Buffer.byteLength(item.rawBody), now });
      return inserted;
    })();
    if (row !== undefined) return { id: parseRow(IdRow, row).id, duplicate: false };
    const existing = parseOptionalRow(IdRow, this.#findDelivery.get(item.source, deliveryId));
    if (!existing)
      throw new Error(`Inbox delivery ${item.source}/${deliveryId} was neither stored nor found`);
    return { id: existing.id, duplicate: true };
  }

  get(id: number): InboxItem | null {
    const item = parseOptionalRow(InboxRowSchema, this.#get.get(id));
    return item && this.#withBody(item);
  }

  /** The stored body in place of the row's own (empty) one; '' once pruned. */
  #withBody(item: InboxItem): InboxItem {
    if (!item.bodyHash) return item;
    const body: unknown = this.#body.get(item.bodyHash);
    return { ...item, rawBody: typeof body === 'string' ? body : '' };
  }

  /**
   * Forgets bodies whose deliveries were all processed before `bodiesBefore`, and processed rows older
   * than `rowsBefore`. Pending and failed deliveries keep their body, however old.
   */
  prune(bodiesBefore: Date, rowsBefore: Date): { bodies: number; rows: number } {
    return this.#db.transaction(() => ({
      rows: this.#pruneRows.run(rowsBefore.toISOString()).changes,
      bodies: this.#pruneBodies.run({ before: bodiesBefore.toISOString() }).changes,
    }))();
  }

  /**
   * Takes up to `limit` items ready for processing, oldest first, counting an attempt for each.
   * An item stays claimed for `leaseMs`; finish it with markDone or markFailed before then.
   */
  claim(limit = 10, leaseMs = 60_000): InboxItem[] {
    const now = this.#now();
    const rows = this.#db
      .transaction(() =>
        this.#claim.all({
          now: now.toISOString(),
          leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
          limit,
        }),
      )
      .immediate();
    return parseRows(InboxRowSchema, rows)
      .sort((a, b) => a.id - b.id)
      .map((item) => this.#withBody(item));
  }

  /** Processed: `incidentId` is the incident the page opened or joined, if any. */
  markDone(id: number, incidentId: number | null = null): void {
    this.#markDone.run({ id, incidentId, now: this.#now().toISOString() });
  }

  /** Failed this attempt: retried from `nextAttemptAt`, or never again if it is null. */
  markFailed(id: number, error: string, nextAttemptAt: Date | null): void {
    this.#markFailed.run({ id, error, nextAttemptAt: nextAttemptAt?.toISOString() ?? null });
  }

  /** Newest first; all statuses unless one is given. */
  list(options: { status?: InboxStatus; limit?: number } = {}): InboxItem[] {
    return parseRows(
      InboxRowSchema,
      this.#list.all({ status: options.status ?? null, limit: options.limit ?? 100 }),
    ).map((item) => this.#withBody(item));
  }
}
