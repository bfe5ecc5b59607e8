import type { z } from 'zod';

/**
 * Row validation compiled from the zod schemas: on every click the store parsed each row with zod (about 10%
 * of the bot's busy CPU), although nearly every row is one our own code wrote. A compiled check does the same
 * checks (types, enums, integers, JSON columns) in plain code; the moment any value does not pass, the caller
 * parses the row with zod itself, so a malformed row fails with exactly the error it always did. The output
 * is what zod would return: the schema's keys only, defaults filled in, transforms (flags, JSON) applied.
 */

/** What a compiled check returns for a value it does not accept. */
export const FAIL: unique symbol = Symbol('row value not accepted');
export type Check = (value: unknown) => unknown;

/** Fast forms of our own transforming schemas (0/1 flags, JSON text columns), registered where they are made. */
const FAST_FORMS = new WeakMap<z.ZodType, (compile: (schema: z.ZodType) => Check) => Check>();

export function registerFastForm(
  schema: z.ZodType,
  form: (compile: (schema: z.ZodType) => Check) => Check,
): void {
  FAST_FORMS.set(schema, form);
}

/** The zod internals this compiler reads; anything else falls back to zod for that part of the schema. */
interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; format?: string; value?: unknown; inclusive?: boolean } } }[];
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
  readonly defaultValue?: unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const COMPILED = new WeakMap<z.ZodType, Check>();

export function compileCheck(schema: z.ZodType): Check {
  let check = COMPILED.get(schema);
  if (!check) {
    check = build(schema);
    COMPILED.set(schema, check);
  }
  return check;
}

/** Zod itself, for a part of a schema this compiler does not know: correct, only not faster. */
function viaZod(schema: z.ZodType): Check {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? result.data : FAIL;
  };
}

function build(schema: z.ZodType): Check {
  const fast = FAST_FORMS.get(schema);
  if (fast) return fast(compileCheck);
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return def.checks?.length ? viaZod(schema) : (v) => (typeof v === 'string' ? v : FAIL);
    case 'number':
      return numberCheck(schema, def);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : FAIL);
    case 'unknown':
    case 'any':
      return (v) => v;
    case 'enum':
    case 'literal': {
      const allowed = new Set(def.type === 'enum' ? Object.values(def.entries ?? {}) : def.values);
      return (v) => (allowed.has(v) ? v : FAIL);
    }
    case 'nullable': {
      const inner = compileCheck(def.innerType as z.ZodType);
      return (v) => (v === null ? null : inner(v));
    }
    case 'optional': {
      const inner = compileCheck(def.innerType as z.ZodType);
      return (v) => (v === undefined ? undefined : inner(v));
    }
    case 'default': {
      const inner = compileCheck(def.innerType as z.ZodType);
      // The getter returns a fresh copy each time, as zod hands it out.
      return (v) => (v === undefined ? def.defaultValue : inner(v));
    }
    case 'union':
      return unionCheck(def.options ?? []);
    case 'array':
      return def.checks?.length ? viaZod(schema) : arrayCheck(compileCheck(def.element as z.ZodType));
    case 'object':
      return def.catchall || def.checks?.length ? viaZod(schema) : objectCheck(def.shape ?? {});
    case 'record':
      return recordCheck(schema, def);
    default:
      return viaZod(schema);
  }
}

function numberCheck(schema: z.ZodType, def: Def): Check {
  let integer = false;
  let floor: { value: number; inclusive: boolean } | null = null;
  for (const { _zod } of def.checks ?? []) {
    const c = _zod.def;
    if (c.check === 'number_format' && c.format === 'safeint') integer = true;
    else if (c.check === 'greater_than' && typeof c.value === 'number' && floor === null)
      floor = { value: c.value, inclusive: c.inclusive === true };
    else return viaZod(schema);
  }
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return FAIL;
    if (integer && !Number.isSafeInteger(v)) return FAIL;
    if (floor && (floor.inclusive ? v < floor.value : v <= floor.value)) return FAIL;
    return v;
  };
}

function unionCheck(options: readonly z.ZodType[]): Check {
  const checks = options.map(compileCheck);
  return (v) => {
    for (const check of checks) {
      const out = check(v);
      if (out !== FAIL) return out;
    }
    return FAIL;
  };
}

function arrayCheck(element: Check): Check {
  return (v) => {
    if (!Array.isArray(v)) return FAIL;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = element(v[i]);
      if (item === FAIL) return FAIL;
      out[i] = item;
    }
    return out;
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function objectCheck(shape: Record<string, z.ZodType>): Check {
  const fields = Object.entries(shape).map(([key, field]) => ({ key, check: compileCheck(field) }));
  return (v) => {
    if (!isObject(v)) return FAIL;
    const out: Record<string, unknown> = {};
    for (const { key, check } of fields) {
      const value = check(v[key]);
      if (value === FAIL) return FAIL;
      // As zod: an optional key that is absent stays absent; one present as undefined is kept.
      if (value !== undefined || key in v) out[key] = value;
    }
    return out;
  };
}

function recordCheck(schema: z.ZodType, def: Def): Check {
  const key = defOf(def.keyType as z.ZodType);
  if (key.type !== 'string' || key.checks?.length) return viaZod(schema);
  const value = compileCheck(def.valueType as z.ZodType);
  return (v) => {
    if (!isObject(v) || !isPlainPrototype(v)) return FAIL;
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(v)) {
      // Assigning it would set the prototype: left to zod, which rejects or keeps it as it always did.
      if (name === '__proto__') return FAIL;
      const item = value(v[name]);
      if (item === FAIL) return FAIL;
      out[name] = item;
    }
    return out;
  };
}

function isPlainPrototype(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
