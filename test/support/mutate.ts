import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value (the root is []). */
export function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) for (const [i, v] of value.entries()) out.push(...paths(v, [...prefix, i]));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(value: Json, path: (string | number)[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement === undefined ? null : replacement;
  const copy: Json = Array.isArray(value) ? [...value] : { ...(value as Record<string, Json>) };
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container = copy as Record<string | number, Json>;
  if (rest.length === 0) {
    if (replacement === undefined) {
      if (Array.isArray(copy)) copy.splice(Number(head), 1);
      else delete container[head];
    } else container[head] = replacement;
  } else container[head] = setAt(container[head] as Json, rest, replacement);
  return copy;
}

const HOSTILE = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0HACKER1>',
  '<#C0HACKER1|general>',
  '<!subteam^S0HACKER1>',
  '*bold* _it_ ~s~ `code` ```block```',
  '&amp; &lt; > <',
  '$(touch /tmp/incident-bot-pwned)',
  '`touch /tmp/incident-bot-pwned`',
  '; rm -rf / #',
  '| cat /etc/passwd',
  '../../../../etc/passwd',
  "Robert'); DROP TABLE incidents;--",
  "' OR 1=1 --",
  '\u0000\u0007\u001b[31m',
  '\u202e\u200b\ufeff',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀',
  '{{title}} {title} %s %n',
];

/** Hostile strings: markup, mentions, shell, SQL, traversal, control and astral characters. */
export const hostileShort = fc.oneof(fc.string(), fc.constantFrom(...HOSTILE));

/** The same, and sometimes huge. */
export const hostileString = fc.oneof(hostileShort, fc.string({ minLength: 2000, maxLength: 5000 }));

/** A JSON value mostly shaped like `base`: one path replaced by a hostile value, or removed. */
export function mutated(base: Json): fc.Arbitrary<Json> {
  const all = paths(base);
  return fc
    .tuple(
      fc.integer({ min: 0, max: all.length - 1 }),
      fc.oneof(
        fc.constant(undefined),
        hostileString,
        fc.jsonValue() as fc.Arbitrary<Json>,
        fc.constantFrom<Json>(null, -1, 1e308, '', [], {}, true),
      ),
    )
    .map(([i, replacement]) => setAt(base, all[i] ?? [], replacement));
}

export type { Json };
