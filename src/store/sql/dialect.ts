import { CompiledQuery, type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Clock } from '../rows.ts';
import type { Tables } from './schema.ts';

/**
 * Everything that differs between SQLite and PostgreSQL lives in this file: how a transaction begins,
 * how a claim locks its rows, how work is serialized, how counts come back, what a duplicate is.
 * The repositories write one query each and ask this file for the rest.
 */
export type SqlKind = 'sqlite' | 'postgres';

/** What every repository is built on: the database (or the transaction it runs in) and the clock. */
export interface SqlContext {
  readonly kind: SqlKind;
  readonly db: Kysely<Tables>;
  readonly now: Clock;
  /** 0 outside a transaction, 1 in one, 2+ in nested savepoints. */
  readonly depth: number;
}

const STATEMENTS = new Map<string, CompiledQuery>();

/** A fixed statement (begin, commit, savepoint sp1, ...), compiled once: no template to build per call. */
export function statement(text: string): CompiledQuery {
  let compiled = STATEMENTS.get(text);
  if (!compiled) {
    compiled = CompiledQuery.raw(text);
    STATEMENTS.set(text, compiled);
  }
  return compiled;
}

/**
 * Runs `fn` entirely or not at all. Outside a transaction it takes one connection and begins; SQLite
 * begins IMMEDIATE (the write lock first, so a read-then-write never fails half way with SQLITE_BUSY).
 * Inside one it becomes a savepoint, so a nested failure the caller catches undoes only its own part.
 */
export async function atomic<T>(ctx: SqlContext, fn: (tx: SqlContext) => Promise<T>): Promise<T> {
  if (ctx.depth > 0) {
    const name = `sp${ctx.depth}`;
    await ctx.db.executeQuery(statement(`savepoint ${name}`));
    try {
      const result = await fn({ ...ctx, depth: ctx.depth + 1 });
      await ctx.db.executeQuery(statement(`release savepoint ${name}`));
      return result;
    } catch (error) {
      await ctx.db.executeQuery(statement(`rollback to savepoint ${name}`));
      await ctx.db.executeQuery(statement(`release savepoint ${name}`));
      throw error;
    }
  }
  return ctx.db.connection().execute(async (connection) => {
    await connection.executeQuery(statement(ctx.kind === 'sqlite' ? 'begin immediate' : 'begin'));
    try {
      const result = await fn({ ...ctx, db: connection, depth: 1 });
      await connection.executeQuery(statement('commit'));
      return result;
    } catch (error) {
      await connection.executeQuery(statement('rollback'));
      throw error;
    }
  });
}

/**
 * The rows a claim may take. On PostgreSQL, FOR UPDATE SKIP LOCKED: a replica claiming at the same
 * moment skips rows another is taking instead of waiting for them or taking them twice. SQLite has one
 * writer at a time, so its single UPDATE statement is already atomic.
 */
export function claimable<DB, TB extends keyof DB, O>(
  ctx: Pick<SqlContext, 'kind'>,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return ctx.kind === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/**
 * Serializes `name`d work across replicas until the surrounding transaction ends (allocating the next
 * day_seq of an incident). SQLite's IMMEDIATE transaction holds the one write lock already.
 */
export async function serialize(ctx: SqlContext, name: string): Promise<void> {
  if (ctx.depth === 0) throw new Error(`serialize("${name}") needs a transaction: call it inside atomic()`);
  if (ctx.kind === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(ctx.db);
}

/** count(*) as a JS number on both (PostgreSQL's bigint would arrive as a string). */
export function countAll(filter?: RawBuilder<unknown>): RawBuilder<number> {
  return filter
    ? sql<number>`cast(count(*) filter (where ${filter}) as integer)`
    : sql<number>`cast(count(*) as integer)`;
}

/** Whether `error` is a unique-constraint violation (SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Rows a write changed: SQLite and PostgreSQL both report it, as bigint. */
export function changed(result: {
  numUpdatedRows?: bigint;
  numDeletedRows?: bigint;
  numInsertedOrUpdatedRows?: bigint;
}): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? result.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * "The incident is open", written with literals: SQLite uses the partial index incidents_open only when
 * the query repeats its WHERE term, and a bound parameter (Kysely's `not in` list) never matches one.
 */
export function incidentOpen(column: 'status' | 'i.status'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} not in ('resolved', 'closed')`;
}
