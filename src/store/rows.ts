import { z } from 'zod';
import { type Check, compileCheck, FAIL, registerFastForm } from './compiledRows.ts';

/** Repositories take the clock as a function so tests decide what "now" is. */
export type Clock = () => Date;

/** SQLite has no boolean type: flags are stored as 0/1 and surface as booleans. */
export const Flag = z.union([z.literal(0), z.literal(1)]).transform((value) => value === 1);
registerFastForm(Flag, () => (value) => (value === 1 ? true : value === 0 ? false : FAIL));

export const toFlag = (value: boolean): 0 | 1 => (value ? 1 : 0);

export { type JsonObject, JsonObjectSchema } from '../domain/timeline.ts';

/** A TEXT column holding JSON, validated against `schema` after parsing. */
export function jsonColumn<T extends z.ZodType>(schema: T) {
  const column = z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'column does not hold valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
  registerFastForm(column, (compile) => {
    const content = compile(schema);
    return (text) => {
      if (typeof text !== 'string') return FAIL;
      try {
        return content(JSON.parse(text));
      } catch {
        return FAIL;
      }
    };
  });
  return column;
}

/** Column names are a fixed set, so each is translated once instead of by two regexes on every row. */
const FIELD_NAMES = new Map<string, string>();

/** `commands_json` -> `commands`, `incident_id` -> `incidentId`. */
function fieldName(column: string): string {
  let name = FIELD_NAMES.get(column);
  if (name === undefined) {
    name = column.replace(/_json$/, '').replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    // Bounded anyway: a raw query's aliases are the only other names, and they are as fixed as columns.
    if (FIELD_NAMES.size < 1_000) FIELD_NAMES.set(column, name);
  }
  return name;
}

/**
 * Rows come back from SQLite with snake_case columns; schemas describe the camelCase objects the
 * rest of the code sees, so the mapping happens here and nowhere else.
 */
export function parseRow<T extends z.ZodType>(schema: T, row: unknown): z.output<T> {
  if (typeof row !== 'object' || row === null) {
    throw new TypeError(`Expected a database row, got ${row === null ? 'null' : typeof row}`);
  }
  const fast = rowReader(schema)?.(row as Record<string, unknown>);
  return fast === undefined || fast === FAIL ? parseWithZod(schema, row) : (fast as z.output<T>);
}

/** The reference path: every column renamed, the whole row through zod (and its error when it is malformed). */
function parseWithZod<T extends z.ZodType>(schema: T, row: object): z.output<T> {
  const fields = Object.fromEntries(Object.entries(row).map(([column, value]) => [fieldName(column), value]));
  return schema.parse(fields);
}

type RowReader = (row: Record<string, unknown>) => unknown;

const READERS = new WeakMap<z.ZodType, RowReader | null>();

/** The compiled reader of an object schema's rows (null for any other schema: zod reads those). */
function rowReader(schema: z.ZodType): RowReader | null {
  let reader = READERS.get(schema);
  if (reader === undefined) {
    reader = schema instanceof z.ZodObject && !schema.def.catchall ? compileRow(schema.shape) : null;
    READERS.set(schema, reader);
  }
  return reader;
}

/** Each field read from the columns that name it (`incident_id`, `commands_json`, or the field's own name). */
function compileRow(shape: Record<string, z.ZodType>): RowReader {
  const fields = Object.entries(shape).map(([key, field]) => {
    const snake = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    const columns = [...new Set([`${snake}_json`, snake, key])].filter((c) => fieldName(c) === key);
    return { key, columns, check: compileCheck(field) as Check };
  });
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const { key, columns, check } of fields) {
      let raw: unknown;
      for (const column of columns) {
        raw = row[column];
        if (raw !== undefined) break;
      }
      const value = check(raw);
      if (value === FAIL) return FAIL;
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
}

export function parseOptionalRow<T extends z.ZodType>(schema: T, row: unknown): z.output<T> | null {
  return row === undefined ? null : parseRow(schema, row);
}

export function parseRows<T extends z.ZodType>(schema: T, rows: readonly unknown[]): z.output<T>[] {
  return rows.map((row) => parseRow(schema, row));
}

/**
 * App Home's progress row of an incident (steps done, total, the active step), as both stores read it,
 * turned into the line it shows.
 */
export const ProgressRowSchema = z
  .object({
    incidentId: z.number().int(),
    done: z.number().int(),
    total: z.number().int(),
    activeNumber: z.number().int().nullable(),
    activeTitle: z.string().nullable(),
  })
  .transform(({ incidentId, done, total, activeNumber, activeTitle }) => ({
    incidentId,
    done,
    total,
    /** The active runbook step ("3. Drain the pool"), null when none is active. */
    currentStep:
      activeTitle === null ? null : activeNumber === null ? activeTitle : `${activeNumber}. ${activeTitle}`,
  }));
