import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { SqlContext, SqlKind } from './dialect.ts';
import type { Tables } from './schema.ts';

/**
 * Queries built and compiled once per database kind, then run with new values. Kysely builds an immutable
 * tree of every query and compiles it to SQL on each call: on the click path that was about 16% of the bot's
 * busy CPU for a handful of fixed queries. A prepared query is written with the same typed builder, its
 * values taken from `p` (placeholders); the compiled SQL is kept and only the parameter list is made per call.
 */

/** A placeholder: the value of parameter `name`, filled in at each call. */
class Param {
  constructor(readonly name: string) {}
}

type Slot = { readonly name: string } | { readonly value: unknown };

interface Template {
  readonly compiled: CompiledQuery;
  readonly slots: readonly Slot[];
}

export interface Prepared<P, R> {
  /** Every row the statement returns (a SELECT, or a write with RETURNING). */
  rows(ctx: SqlContext, params: P): Promise<R[]>;
  first(ctx: SqlContext, params: P): Promise<R | undefined>;
  /** Rows an INSERT, UPDATE or DELETE changed. */
  affected(ctx: SqlContext, params: P): Promise<number>;
}

/**
 * `prepare<{ id: number }>()((db, p) => db.selectFrom('incidents').selectAll().where('id', '=', p.id))`:
 * the parameters' types are given, the rows' type comes from the builder. `p.x` may stand only where the
 * builder takes a value (it becomes a bound parameter); where it would change the SQL text (a list's length, a
 * column name), build one prepared query per shape instead.
 */
export function prepare<P extends Record<string, unknown>>() {
  return <R>(build: (db: Kysely<Tables>, p: P) => Compilable<R>): Prepared<P, R> => {
    const templates = new Map<SqlKind, Template>();
    const template = (ctx: SqlContext): Template => {
      let found = templates.get(ctx.kind);
      if (!found) {
        found = compile(ctx.db, build);
        templates.set(ctx.kind, found);
      }
      return found;
    };
    const run = (ctx: SqlContext, params: P) => {
      const { compiled, slots } = template(ctx);
      const parameters = slots.map((slot) => {
        if (!('name' in slot)) return slot.value;
        const value = params[slot.name];
        // SQLite would refuse it and PostgreSQL bind NULL: a missing value is the caller's bug, said the same way.
        if (value === undefined)
          throw new Error(`Prepared query parameter ${slot.name} has no value: pass it`);
        return value;
      });
      return ctx.db.executeQuery<R>({ ...compiled, parameters } as CompiledQuery<R>);
    };
    return {
      rows: async (ctx, params) => (await run(ctx, params)).rows,
      first: async (ctx, params) => (await run(ctx, params)).rows[0],
      affected: async (ctx, params) => Number((await run(ctx, params)).numAffectedRows ?? 0n),
    };
  };
}

function compile<P extends Record<string, unknown>, R>(
  db: Kysely<Tables>,
  build: (db: Kysely<Tables>, p: P) => Compilable<R>,
): Template {
  const used = new Set<string>();
  const placeholders = new Proxy({} as P, {
    get: (_, name) => {
      used.add(String(name));
      return new Param(String(name));
    },
  });
  const compiled = build(db, placeholders).compile() as CompiledQuery;
  const slots = compiled.parameters.map(
    (value): Slot => (value instanceof Param ? { name: value.name } : { value }),
  );
  const bound = new Set(slots.flatMap((slot) => ('name' in slot ? [slot.name] : [])));
  const lost = [...used].filter((name) => !bound.has(name));
  if (lost.length > 0) {
    throw new Error(
      `Prepared query parameter(s) ${lost.join(', ')} did not become bound parameters of "${compiled.sql}": ` +
        'use them only where the builder takes a value, or build one prepared query per shape.',
    );
  }
  return { compiled, slots };
}

/**
 * One prepared query per shape (a list of `n` values is `n` placeholders), made on first use and kept. A shape
 * that is an object names itself by `keyOf` (a Map compares objects by identity).
 */
export function byShape<S, T>(
  make: (shape: S) => T,
  keyOf: (shape: S) => unknown = (shape) => shape,
  limit = 64,
): (shape: S) => T {
  const made = new Map<unknown, T>();
  return (shape) => {
    const key = keyOf(shape);
    let found = made.get(key);
    if (found === undefined) {
      found = make(shape);
      // Past the limit an unusual shape is made for its call only, as every query was before.
      if (made.size < limit) made.set(key, found);
    }
    return found;
  };
}

/** The values of an `in (...)` list of ids, as parameters `id0`, `id1`, ... */
export type IdParams = Record<`id${number}`, number>;
export const idPlaceholders = (p: IdParams, n: number): number[] =>
  Array.from({ length: n }, (_, i) => p[`id${i}`] as number);
export const idValues = (ids: readonly number[]): IdParams =>
  Object.fromEntries(ids.map((id, i) => [`id${i}`, id]));

/**
 * An insert of `n` rows with the given columns, each value a parameter named `column.i`; `rowParams` gives
 * the values of real rows under the same names. The rows' type is the real rows' type, which the builder
 * checks against the table.
 */
export function rowPlaceholders<T extends Record<string, unknown>>(
  p: Record<string, unknown>,
  n: number,
  columns: readonly (keyof T & string)[],
): T[] {
  return Array.from(
    { length: n },
    (_, i) => Object.fromEntries(columns.map((c) => [c, p[`${c}.${i}`]])) as T,
  );
}

export function rowParams<T extends Record<string, unknown>>(rows: readonly T[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  rows.forEach((row, i) => {
    for (const [column, value] of Object.entries(row)) params[`${column}.${i}`] = value;
  });
  return params;
}
