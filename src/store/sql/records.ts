import { sql } from 'kysely';
import type { BotIdentity, ExternalRef, NewExternalRef } from '../../domain/records.ts';
import type {
  ExternalRefStore,
  HeartbeatStore,
  IdempotencyStore,
  IdentityStore,
} from '../../usecases/ports/store.ts';
import { parseOptionalRow, parseRows } from '../rows.ts';
import { changed, type SqlContext } from './dialect.ts';
import { BotIdentityRow, ExternalRefRow } from './rows.ts';

/** Slack request ids and idempotency keys: the primary key decides who acts, across replicas. */
export class SqlIdempotency implements IdempotencyStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async firstTime(key: string): Promise<boolean> {
    const result = await this.#ctx.db
      .insertInto('processed_requests')
      .values({ key, at: this.#ctx.now().toISOString() })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .executeTakeFirst();
    return changed(result) === 1;
  }

  async seen(key: string): Promise<boolean> {
    const row = await this.#ctx.db
      .selectFrom('processed_requests')
      .select('key')
      .where('key', '=', key)
      .executeTakeFirst();
    return row !== undefined;
  }

  async prune(before: Date): Promise<number> {
    const result = await this.#ctx.db
      .deleteFrom('processed_requests')
      .where('at', '<', before.toISOString())
      .executeTakeFirst();
    return changed(result);
  }
}

export class SqlHeartbeats implements HeartbeatStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async beat(name: string, at: Date = this.#ctx.now()): Promise<void> {
    await this.#ctx.db
      .insertInto('heartbeats')
      .values({ name, at: at.toISOString() })
      .onConflict((conflict) => conflict.column('name').doUpdateSet((eb) => ({ at: eb.ref('excluded.at') })))
      .execute();
  }

  async last(name: string): Promise<Date | null> {
    const row = await this.#ctx.db
      .selectFrom('heartbeats')
      .select('at')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? new Date(row.at) : null;
  }

  async since(prefix: string, since: Date, limit: number): Promise<string[]> {
    const rows = await this.#ctx.db
      .selectFrom('heartbeats')
      .select('name')
      // Not LIKE: a wildcard in the prefix must not widen it. A few rows: one a viewer, one the scheduler.
      .where(sql<boolean>`substr(name, 1, ${prefix.length}) = ${prefix}`)
      .where('at', '>=', since.toISOString())
      .orderBy('at', 'desc')
      .orderBy('name')
      .limit(limit)
      .execute();
    return rows.map((r) => r.name);
  }
}

export class SqlIdentity implements IdentityStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async get(): Promise<BotIdentity | null> {
    const row = await this.#ctx.db
      .selectFrom('bot_identity')
      .select(['user_id', 'bot_id', 'checked_at'])
      .where('id', '=', 1)
      .executeTakeFirst();
    return parseOptionalRow(BotIdentityRow, row);
  }

  async remember(userId: string, botId: string): Promise<void> {
    const row = { user_id: userId, bot_id: botId, checked_at: this.#ctx.now().toISOString() };
    await this.#ctx.db
      .insertInto('bot_identity')
      .values({ id: 1, ...row })
      .onConflict((conflict) => conflict.column('id').doUpdateSet(row))
      .execute();
  }
}

/** One record per (system, local key): the first recorded wins, whichever replica recorded it. */
export class SqlExternalRefs implements ExternalRefStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  async record(ref: NewExternalRef): Promise<ExternalRef> {
    await this.#ctx.db
      .insertInto('external_refs')
      .values({
        incident_id: ref.incidentId,
        system: ref.system,
        local_key: ref.localKey,
        remote_id: ref.remoteId,
        url: ref.url,
        created_at: this.#ctx.now().toISOString(),
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
    const recorded = await this.get(ref.system, ref.localKey);
    if (!recorded)
      throw new Error(`External ref ${ref.system}/${ref.localKey} was neither recorded nor found`);
    return recorded;
  }

  async get(system: string, localKey: string): Promise<ExternalRef | null> {
    const row = await this.#ctx.db
      .selectFrom('external_refs')
      .selectAll()
      .where('system', '=', system)
      .where('local_key', '=', localKey)
      .executeTakeFirst();
    return parseOptionalRow(ExternalRefRow, row);
  }

  async byRemote(system: string, remoteId: string): Promise<ExternalRef | null> {
    const row = await this.#ctx.db
      .selectFrom('external_refs')
      .selectAll()
      .where('system', '=', system)
      .where('remote_id', '=', remoteId)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return parseOptionalRow(ExternalRefRow, row);
  }

  async forIncident(incidentId: number): Promise<ExternalRef[]> {
    const rows = await this.#ctx.db
      .selectFrom('external_refs')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute();
    return parseRows(ExternalRefRow, rows);
  }
}
